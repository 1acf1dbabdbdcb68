package org.voltkeep.hal;

/**
 * The control pilot level the EVSE measures (IEC 61851-1 Table A.3, positive half):
 * A +12 V no vehicle, B +9 V vehicle connected, C +6 V ready, D +3 V ready with
 * ventilation, E 0 V (CP shorted to PE or no supply), F the negative half is not
 * at -12 V while the PWM oscillates (missing or shorted EV diode) or -12 V is driven.
 */
public enum CpState {
    A, B, C, D, E, F;

    /** True when a vehicle is connected to the pilot (B, C or D). */
    public boolean vehicleConnected() {
        return this == B || this == C || this == D;
    }

    /** True when the vehicle asks for energy (C, or D with ventilation). */
    public boolean vehicleReady() {
        return this == C || this == D;
    }
}
