package org.voltkeep.charging;

/**
 * Faults the safety controller detects. Every fault opens the contactor at once.
 * {@link Latch} says what clears it.
 */
public enum Fault {
    RCD_TRIP(Latch.UNTIL_RESET),
    CONTACTOR_WELDED(Latch.PERMANENT),
    CONTACTOR_STUCK_OPEN(Latch.UNTIL_UNPLUG),
    OVER_TEMPERATURE(Latch.WHILE_PRESENT),
    CP_SHORT(Latch.UNTIL_UNPLUG),
    DIODE_FAULT(Latch.UNTIL_UNPLUG),
    CABLE_REMOVED(Latch.UNTIL_UNPLUG),
    SELF_TEST_FAILED(Latch.PERMANENT),
    WATCHDOG_EXPIRED(Latch.PERMANENT);

    /** What clears a fault once its cause is gone. */
    public enum Latch {
        /** Clears by itself when the condition is gone (with hysteresis). */
        WHILE_PRESENT,
        /** Clears when the vehicle is unplugged (pilot back at A). */
        UNTIL_UNPLUG,
        /** Clears only on an explicit reset request once the condition is gone. */
        UNTIL_RESET,
        /** Never clears in this boot; survives restarts; needs service. */
        PERMANENT
    }

    private final Latch latch;

    Fault(Latch latch) {
        this.latch = latch;
    }

    public Latch latch() {
        return latch;
    }
}
