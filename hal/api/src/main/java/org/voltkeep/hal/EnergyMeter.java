package org.voltkeep.hal;

/** The energy meter on the charger's output. */
public interface EnergyMeter {
    MeterReading read();
}
