package org.voltkeep.charging;

/**
 * The IEC 61851-1 state of the charging point as the safety controller holds it:
 * the measured pilot letter plus whether a current is offered (x1: PWM off,
 * x2: PWM on). {@link #F} is the EVSE-not-available state the controller enters
 * on a latched fault (pilot at -12 V).
 */
public enum ChargerState {
    /** No vehicle. */
    A,
    /** Vehicle connected, no current offered (not authorized, paused or stopping). */
    B1,
    /** Vehicle connected, current offered, vehicle not ready. */
    B2,
    /** Vehicle ready, no current offered: contactor must open. */
    C1,
    /** Vehicle ready, current offered: charging when the contactor is closed. */
    C2,
    /** Ventilation requested, no current offered. */
    D1,
    /** Ventilation requested, current offered (only with ventilation available). */
    D2,
    /** Pilot shorted to PE or no supply: error. */
    E,
    /** EVSE not available: a fault holds the contactor open. */
    F;

    public boolean vehicleConnected() {
        return this != A;
    }
}
