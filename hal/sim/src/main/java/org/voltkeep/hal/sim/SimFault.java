package org.voltkeep.hal.sim;

/** Faults the simulated board can be told to have. Each changes what the inputs read. */
public enum SimFault {
    /** Residual current monitor reports 6 mA smooth DC. */
    RCD_DC_6MA,
    /** Residual current monitor reports 30 mA AC. */
    RCD_AC_30MA,
    /** Once closed, the main contacts stay closed whatever the command. */
    CONTACTOR_WELDED,
    /** The main contacts do not close on a close command. */
    CONTACTOR_NO_CLOSE,
    /** The hot spot heats up while current flows, up to 95 °C, until cleared. */
    OVER_TEMPERATURE,
    /** The control pilot is shorted to PE: the pilot measures E. */
    CP_SHORT,
    /** The vehicle's pilot diode is missing: the pilot measures F while the PWM oscillates. */
    DIODE_MISSING,
    /** The proximity pilot reads no cable while the control pilot stays connected. */
    PP_REMOVED;

    /**
     * True when injecting the fault changes an input at once, so a safety reaction
     * can be timed from the injection. Over-temperature needs time to heat up, and a
     * welded or stuck contactor shows only at its next command.
     */
    public boolean affectsInputsAtOnce() {
        return switch (this) {
            case RCD_DC_6MA, RCD_AC_30MA, CP_SHORT, DIODE_MISSING, PP_REMOVED -> true;
            case CONTACTOR_WELDED, CONTACTOR_NO_CLOSE, OVER_TEMPERATURE -> false;
        };
    }
}
