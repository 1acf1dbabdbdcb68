package org.voltkeep.hal;

/**
 * The control pilot output: a 1 kHz PWM duty cycle in tenths of a percent, or one
 * of the two static levels. IEC 61851-1 Annex A: 100 % (constant +12 V) means no
 * current is offered (states A, B1, C1); 0 % (constant -12 V) means the EVSE is not
 * available (state F); 10 %..96 % offers a current.
 */
public record PwmDuty(int permille) {
    /** Constant +12 V: no PWM, no current offered. */
    public static final PwmDuty STATIC_HIGH = new PwmDuty(1000);
    /** Constant -12 V: EVSE not available (state F). */
    public static final PwmDuty STATIC_LOW = new PwmDuty(0);
    /** Alias kept for readability where the vehicle is absent. */
    public static final PwmDuty STATE_A_HIGH = STATIC_HIGH;

    public PwmDuty {
        if (permille < 0 || permille > 1000) {
            throw new IllegalArgumentException("PWM duty " + permille + "‰ is outside 0..1000");
        }
    }

    /** True when the pilot oscillates, i.e. a current is offered. */
    public boolean oscillating() {
        return permille > 0 && permille < 1000;
    }

    /**
     * Duty for an offered current per IEC 61851-1 Table A.7: 6 A..51 A gives
     * duty % = I / 0.6; 51 A..80 A gives duty % = I / 2.5 + 64. Below 6 A no current
     * can be offered: the result is {@link #STATIC_HIGH}.
     */
    public static PwmDuty forCurrent(Current current) {
        int ma = current.milliamps();
        if (ma < 6000) {
            return STATIC_HIGH;
        }
        if (ma > 80000) {
            ma = 80000;
        }
        if (ma <= 51000) {
            // duty‰ = mA / 0.6 / 100 = mA / 60, rounded down so the offer never exceeds the limit
            return new PwmDuty(ma / 60);
        }
        // duty‰ = (mA / 2500 + 64) * 10 = mA / 250 + 640
        return new PwmDuty(ma / 250 + 640);
    }

    /**
     * The current a vehicle reads from this duty (inverse of {@link #forCurrent}),
     * or zero when the pilot does not oscillate in the 8 %..97 % band.
     */
    public Current offeredCurrent() {
        if (permille < 80 || permille > 970) {
            return Current.ZERO;
        }
        if (permille < 100) {
            return Current.ofAmps(6);
        }
        if (permille <= 850) {
            return new Current(permille * 60);
        }
        return new Current(Math.min(80000, (permille - 640) * 250));
    }

    @Override
    public String toString() {
        return String.format("%.1f %%", permille / 10.0);
    }
}
