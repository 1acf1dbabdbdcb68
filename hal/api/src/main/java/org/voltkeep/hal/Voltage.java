package org.voltkeep.hal;

/** A voltage in millivolts (RMS for mains, instantaneous level for the control pilot). */
public record Voltage(int millivolts) {
    public static Voltage ofVolts(int volts) {
        return new Voltage(Math.multiplyExact(volts, 1000));
    }

    public double volts() {
        return millivolts / 1000.0;
    }

    @Override
    public String toString() {
        return String.format("%.1f V", volts());
    }
}
