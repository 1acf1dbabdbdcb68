package org.voltkeep.hal;

/** One phase of a meter reading. */
public record PhaseReading(Voltage voltage, Current current, Power power) {
}
