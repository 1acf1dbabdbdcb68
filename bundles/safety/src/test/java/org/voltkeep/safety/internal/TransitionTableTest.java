package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voltkeep.safety.internal.Fixtures.CFG;
import static org.voltkeep.safety.internal.Fixtures.VENT;
import static org.voltkeep.safety.internal.Fixtures.in;
import static org.voltkeep.safety.internal.Fixtures.inSession;
import static org.voltkeep.safety.internal.Fixtures.up;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;

/** One case per row of the transition table, each reached through {@link SafetyLogic#decide}. */
class TransitionTableTest {

    /** A situation that must select one row, with the contactor command it must give. */
    record Case(Transition row, ControllerState from, Inputs in, Requests r, SafetyConfig cfg,
            boolean contactorClosed) {
    }

    private static final PwmDuty OFFER_16A = PwmDuty.forCurrent(Current.ofAmps(16));

    static Stream<Named<Case>> rows() {
        ControllerState charging = inSession(ChargerState.C2, CpState.C, true, true, 0);
        ControllerState ventCharging = inSession(ChargerState.D2, CpState.D, true, true, 0);
        ControllerState waitingB1 = inSession(ChargerState.B1, CpState.B, false, false, 0);
        ControllerState offeredB2 = inSession(ChargerState.B2, CpState.B, true, false, 0);
        ControllerState authorizedB1 = inSession(ChargerState.B1, CpState.B, true, false, 0);
        return Stream.of(
                named(new Case(Transition.OUT_OF_SERVICE, charging,
                        in(1000).pilot(CpState.C).pwm(OFFER_16A).contactor(true).rcd(RcdStatus.TRIPPED_AC_30MA).build(),
                        up(), CFG, false)),
                named(new Case(Transition.PILOT_SHORTED, offeredB2,
                        in(1000).pilot(CpState.E).pwm(OFFER_16A).build(), up(), CFG, false)),
                named(new Case(Transition.FAULTED_UNTIL_UNPLUG, charging,
                        in(1000).pilot(CpState.F).pwm(OFFER_16A).contactor(true).build(), up(), CFG, false)),
                named(new Case(Transition.STAY_IDLE, Fixtures.idle(0), in(1000).build(), up(), CFG, false)),
                named(new Case(Transition.UNPLUGGED, charging,
                        in(1000).pilot(CpState.A).pwm(OFFER_16A).contactor(true).build(), up(), CFG, false)),
                named(new Case(Transition.CONNECTED_WAIT, Fixtures.idle(0),
                        in(1000).pilot(CpState.B).build(), up(), CFG, false)),
                named(new Case(Transition.CONNECTED_OFFER, authorizedB1,
                        in(1000).pilot(CpState.B).build(), up(), CFG, false)),
                named(new Case(Transition.READY_WIND_DOWN, charging,
                        in(1000).pilot(CpState.C).pwm(OFFER_16A).contactor(true).build(),
                        up().withStop(StopReason.REMOTE), CFG, true)),
                named(new Case(Transition.READY_WAIT, waitingB1,
                        in(1000).pilot(CpState.C).build(), up(), CFG, false)),
                named(new Case(Transition.READY_BLOCKED, charging,
                        in(1000).pilot(CpState.C).pwm(OFFER_16A).contactor(true).celsius(80).build(), up(), CFG,
                        false)),
                named(new Case(Transition.CHARGE, offeredB2,
                        in(1000).pilot(CpState.C).pwm(OFFER_16A).build(), up(), CFG, true)),
                named(new Case(Transition.VENT_WIND_DOWN, ventCharging,
                        in(1000).pilot(CpState.D).pwm(OFFER_16A).contactor(true).build(),
                        up().withStop(StopReason.LOCAL), VENT, true)),
                named(new Case(Transition.VENT_WAIT, waitingB1,
                        in(1000).pilot(CpState.D).build(), up(), VENT, false)),
                named(new Case(Transition.VENT_BLOCKED, offeredB2,
                        in(1000).pilot(CpState.D).pwm(OFFER_16A).build(), up(), CFG, false)),
                named(new Case(Transition.CHARGE_VENTILATED, offeredB2,
                        in(1000).pilot(CpState.D).pwm(OFFER_16A).build(), up(), VENT, true)));
    }

    private static Named<Case> named(Case c) {
        return Named.of(c.row() + " (" + c.row().from().size() + " from-states, on " + c.row().event() + ")", c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(Case c) {
        Decision d = SafetyLogic.decide(c.from(), c.in(), c.r(), c.cfg());

        assertThat(d.transition()).isEqualTo(c.row());
        assertThat(c.row().from()).contains(c.from().state());
        assertThat(d.next().state()).isEqualTo(c.row().to());
        assertThat(d.outputs().contactorClosed()).isEqualTo(c.contactorClosed());
        switch (c.row().pilot()) {
            case PLUS_12V -> assertThat(d.outputs().pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
            case MINUS_12V -> assertThat(d.outputs().pwm()).isEqualTo(PwmDuty.STATIC_LOW);
            case OFFER -> assertThat(d.outputs().pwm()).isEqualTo(PwmDuty.forCurrent(d.limit().current()))
                    .matches(PwmDuty::oscillating);
        }
        // Whatever the row decided must pass the independent guard unchanged.
        OutputGuard.Verdict v = OutputGuard.check(c.from(), d, c.in(), c.r(), c.cfg());
        assertThat(v.violations()).isEmpty();
    }

    @Test
    void every_row_has_a_case() {
        Set<Transition> covered = rows().map(n -> n.getPayload().row()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(Transition.values());
    }

    @Test
    void every_state_and_event_has_exactly_one_row() {
        for (ChargerState s : ChargerState.values()) {
            for (CycleEvent e : CycleEvent.values()) {
                List<Transition> matching = Stream.of(Transition.values())
                        .filter(t -> t.event() == e && t.from().contains(s)).toList();
                assertThat(matching).as("%s on %s", s, e).hasSize(1);
                assertThat(Transition.lookup(s, e)).isEqualTo(matching.get(0));
            }
        }
    }

    @Test
    void only_the_charge_rows_close_and_only_offer_rows_oscillate() {
        Set<Transition> closing = EnumSet.noneOf(Transition.class);
        for (Transition t : Transition.values()) {
            if (t.contactor() == Transition.ContactorAction.CLOSE) {
                closing.add(t);
                assertThat(t.pilot()).isEqualTo(Transition.Pilot.OFFER);
                assertThat(t.to()).isIn(ChargerState.C2, ChargerState.D2);
            }
        }
        assertThat(closing).containsExactlyInAnyOrder(Transition.CHARGE, Transition.CHARGE_VENTILATED);
    }

    @Test
    void faults_in_the_table_open_at_once_whatever_the_state() {
        for (ChargerState s : ChargerState.values()) {
            for (CycleEvent e : List.of(CycleEvent.HARD_FAULT, CycleEvent.PILOT_SHORT, CycleEvent.UNPLUG_FAULT,
                    CycleEvent.C_BLOCKED, CycleEvent.D_BLOCKED, CycleEvent.NO_VEHICLE, CycleEvent.B_NO_OFFER)) {
                assertThat(Transition.lookup(s, e).contactor()).as("%s on %s", s, e)
                        .isEqualTo(Transition.ContactorAction.OPEN);
            }
        }
        // and RCD faults reach HARD_FAULT
        assertThat(SafetyLogic.classify(Set.of(Fault.RCD_TRIP), CpState.C, false, CFG)).isEqualTo(CycleEvent.HARD_FAULT);
    }
}
