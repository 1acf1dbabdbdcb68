package org.voltkeep.hal;

/**
 * The cable current capability coded by the proximity pilot resistor
 * (IEC 61851-1 Table B.2): 1.5 kΩ 13 A, 680 Ω 20 A, 220 Ω 32 A, 100 Ω 63 A.
 * {@link #NONE} means no cable or an open/invalid PP circuit.
 */
public enum CableRating {
    NONE(0), A13(13), A20(20), A32(32), A63(63);

    private final int amps;

    CableRating(int amps) {
        this.amps = amps;
    }

    public Current maxCurrent() {
        return Current.ofAmps(amps);
    }

    public boolean present() {
        return this != NONE;
    }
}
