package org.voltkeep.hal;

/** Active energy in watt-hours, as meter registers count it. */
public record Energy(long wattHours) {
    public static final Energy ZERO = new Energy(0);

    public Energy minus(Energy other) {
        return new Energy(wattHours - other.wattHours);
    }

    @Override
    public String toString() {
        return wattHours + " Wh";
    }
}
