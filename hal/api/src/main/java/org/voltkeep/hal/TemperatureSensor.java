package org.voltkeep.hal;

/** The temperature of the hottest monitored point (socket contacts, contactor). */
public interface TemperatureSensor {
    Temperature temperature();
}
