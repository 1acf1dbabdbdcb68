package org.voltkeep.hal;

/** Active power in watts. */
public record Power(int watts) {
    public static final Power ZERO = new Power(0);

    @Override
    public String toString() {
        return watts + " W";
    }
}
