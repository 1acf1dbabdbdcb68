package org.voltkeep.safety.internal;

import static org.voltkeep.charging.ChargerState.A;
import static org.voltkeep.charging.ChargerState.B1;
import static org.voltkeep.charging.ChargerState.B2;
import static org.voltkeep.charging.ChargerState.C1;
import static org.voltkeep.charging.ChargerState.C2;
import static org.voltkeep.charging.ChargerState.D1;
import static org.voltkeep.charging.ChargerState.D2;
import static org.voltkeep.charging.ChargerState.E;
import static org.voltkeep.charging.ChargerState.F;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.voltkeep.charging.ChargerState;

/**
 * THE transition table of the IEC 61851-1 machine: state × event → next state,
 * pilot action, contactor action. {@link SafetyLogic#decide} classifies one
 * {@link CycleEvent} per cycle and applies the first row whose {@code from} set
 * holds the current state. The README prints this table; each row has a test.
 */
public enum Transition {
    // row                from                              event                     to  pilot               contactor
    OUT_OF_SERVICE(        any(),                          CycleEvent.HARD_FAULT,    F,  Pilot.MINUS_12V,    ContactorAction.OPEN),
    PILOT_SHORTED(         any(),                          CycleEvent.PILOT_SHORT,   E,  Pilot.PLUS_12V,     ContactorAction.OPEN),
    FAULTED_UNTIL_UNPLUG(  any(),                          CycleEvent.UNPLUG_FAULT,  F,  Pilot.PLUS_12V,     ContactorAction.OPEN),
    STAY_IDLE(             EnumSet.of(A),                  CycleEvent.NO_VEHICLE,    A,  Pilot.PLUS_12V,     ContactorAction.OPEN),
    UNPLUGGED(             allBut(A),                      CycleEvent.NO_VEHICLE,    A,  Pilot.PLUS_12V,     ContactorAction.OPEN),
    CONNECTED_WAIT(        any(),                          CycleEvent.B_NO_OFFER,    B1, Pilot.PLUS_12V,     ContactorAction.OPEN),
    CONNECTED_OFFER(       any(),                          CycleEvent.B_OFFER,       B2, Pilot.OFFER,        ContactorAction.OPEN),
    READY_WIND_DOWN(       EnumSet.of(C2, D2, C1, D1),     CycleEvent.C_WITHHELD,    C1, Pilot.PLUS_12V,     ContactorAction.WIND_DOWN),
    READY_WAIT(            EnumSet.of(A, B1, B2, E, F),    CycleEvent.C_WITHHELD,    C1, Pilot.PLUS_12V,     ContactorAction.OPEN),
    READY_BLOCKED(         any(),                          CycleEvent.C_BLOCKED,     C1, Pilot.PLUS_12V,     ContactorAction.OPEN),
    CHARGE(                any(),                          CycleEvent.C_OFFER,       C2, Pilot.OFFER,        ContactorAction.CLOSE),
    VENT_WIND_DOWN(        EnumSet.of(C2, D2, C1, D1),     CycleEvent.D_WITHHELD,    D1, Pilot.PLUS_12V,     ContactorAction.WIND_DOWN),
    VENT_WAIT(             EnumSet.of(A, B1, B2, E, F),    CycleEvent.D_WITHHELD,    D1, Pilot.PLUS_12V,     ContactorAction.OPEN),
    VENT_BLOCKED(          any(),                          CycleEvent.D_BLOCKED,     D1, Pilot.PLUS_12V,     ContactorAction.OPEN),
    CHARGE_VENTILATED(     any(),                          CycleEvent.D_OFFER,       D2, Pilot.OFFER,        ContactorAction.CLOSE);

    /** What the row does with the control pilot. */
    public enum Pilot {
        /** Static +12 V: no current offered, the vehicle stays visible. */
        PLUS_12V,
        /** Static -12 V: EVSE not available (state F). */
        MINUS_12V,
        /** PWM at the duty for the effective limit. */
        OFFER
    }

    /** What the row does with the contactor. */
    public enum ContactorAction {
        /** Open in this cycle. */
        OPEN,
        /** Close (the output guard still has the last word). */
        CLOSE,
        /**
         * Offer withdrawn while the vehicle still draws: keep a closed contactor closed until
         * the vehicle goes to B or {@code stopOpenTimeoutMillis} has passed, so the contacts do
         * not break the load; an open contactor stays open.
         */
        WIND_DOWN
    }

    private final Set<ChargerState> from;
    private final CycleEvent event;
    private final ChargerState to;
    private final Pilot pilot;
    private final ContactorAction contactor;

    Transition(Set<ChargerState> from, CycleEvent event, ChargerState to, Pilot pilot, ContactorAction contactor) {
        this.from = Collections.unmodifiableSet(from);
        this.event = event;
        this.to = to;
        this.pilot = pilot;
        this.contactor = contactor;
    }

    /** The row for this state and event; every pair has exactly one (a test checks it). */
    public static Transition lookup(ChargerState state, CycleEvent event) {
        for (Transition t : values()) {
            if (t.event == event && t.from.contains(state)) {
                return t;
            }
        }
        throw new IllegalStateException("no transition from " + state + " on " + event);
    }

    public Set<ChargerState> from() {
        return from;
    }

    public CycleEvent event() {
        return event;
    }

    public ChargerState to() {
        return to;
    }

    public Pilot pilot() {
        return pilot;
    }

    public ContactorAction contactor() {
        return contactor;
    }

    private static Set<ChargerState> any() {
        return EnumSet.allOf(ChargerState.class);
    }

    private static Set<ChargerState> allBut(ChargerState s) {
        return EnumSet.complementOf(EnumSet.of(s));
    }
}
