package org.voltkeep.hal;

/** A temperature in tenths of a degree Celsius. */
public record Temperature(int deciCelsius) {
    public static Temperature ofCelsius(double celsius) {
        return new Temperature((int) Math.round(celsius * 10));
    }

    public double celsius() {
        return deciCelsius / 10.0;
    }

    @Override
    public String toString() {
        return String.format("%.1f °C", celsius());
    }
}
