package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voltkeep.safety.internal.Fixtures.CFG;
import static org.voltkeep.safety.internal.Fixtures.in;
import static org.voltkeep.safety.internal.Fixtures.inSession;
import static org.voltkeep.safety.internal.Fixtures.up;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;

/**
 * Feeds the guard decisions that break one clause each (as a defective table would)
 * and checks it opens the contactor anyway.
 */
class OutputGuardTest {
    private static final PwmDuty DUTY_16A = PwmDuty.forCurrent(Current.ofAmps(16));
    private static final long NOW = 10_000;

    /** Everything needed for a guard call; each case changes one part of a valid closing decision. */
    record World(ControllerState previous, ControllerState next, Outputs outputs, Fixtures.In in, Requests r,
            SafetyConfig cfg) {
        World with(UnaryOperator<World> f) {
            return f.apply(this);
        }

        World next(ControllerState n) {
            return new World(previous, n, outputs, in, r, cfg);
        }

        World outputs(Outputs o) {
            return new World(previous, next, o, in, r, cfg);
        }

        World requests(Requests q) {
            return new World(previous, next, outputs, in, q, cfg);
        }

        World cfg(SafetyConfig c) {
            return new World(previous, next, outputs, in, r, c);
        }

        OutputGuard.Verdict check() {
            Decision d = new Decision(next, outputs, new EffectiveLimit(Current.ofAmps(16), LimitSource.CABLE, ""),
                    Transition.CHARGE, List.of());
            return OutputGuard.check(previous, d, in.build(), r, cfg);
        }
    }

    /** A legitimate C2 with the contactor closed: the guard must leave it alone. */
    private static World charging() {
        ControllerState s = inSession(ChargerState.C2, CpState.C, true, true, 0);
        return new World(s, s, new Outputs(DUTY_16A, true, true, IndicatorState.CHARGING),
                in(NOW).pilot(CpState.C).pwm(DUTY_16A).contactor(true).cable(CableRating.A20), up(), CFG);
    }

    @Test
    void a_valid_closing_decision_passes_unchanged() {
        OutputGuard.Verdict v = charging().check();
        assertThat(v.violations()).isEmpty();
        assertThat(v.outputs()).isEqualTo(charging().outputs());
    }

    static Stream<Named<World>> brokenClauses() {
        return Stream.of(
                Named.of("state B2 is not C2", charging().with(w -> w.next(w.next().toBuilder()
                        .state(ChargerState.B2).build()))),
                Named.of("D2 without ventilation", charging().with(w -> w.next(w.next().toBuilder()
                        .state(ChargerState.D2).build()))),
                Named.of("not authorized", charging().with(w -> w.next(w.next().toBuilder()
                        .authorized(false, "").build()))),
                Named.of("a fault in the next state", charging().with(w -> w.next(w.next().toBuilder()
                        .faults(Set.of(Fault.DIODE_FAULT)).build()))),
                Named.of("self-test not passed", charging().with(w -> w.next(w.next().toBuilder()
                        .selfTestPassed(false).build()))),
                Named.of("RCD tripped in the raw inputs", charging().with(w -> {
                    w.in().rcd(RcdStatus.TRIPPED_DC_6MA);
                    return w;
                })),
                Named.of("watchdog expired in the raw inputs", charging().with(w -> {
                    w.in().watchdogExpired();
                    return w;
                })),
                Named.of("over temperature in the raw inputs", charging().with(w -> {
                    w.in().celsius(80);
                    return w;
                })),
                Named.of("measured pilot B (vehicle not ready)", charging().with(w -> {
                    w.in().pilot(CpState.B);
                    return w;
                })),
                Named.of("stop requested", charging().with(w -> w.next(w.next().toBuilder()
                        .stop(true, Optional.of(StopReason.REMOTE)).build()))),
                Named.of("effective limit below 6 A (request of 5 A)", charging().with(w -> w.requests(
                        up().withClaims(List.of(new LimitClaim("grid", 50, 5000, NOW + 60_000)))))),
                Named.of("effective limit below 6 A (no cable)", charging().with(w -> {
                    w.in().cable(CableRating.NONE);
                    return w;
                })),
                Named.of("pilot not oscillating", charging().with(w -> w.outputs(w.outputs()
                        .withPwm(PwmDuty.STATIC_HIGH)))),
                Named.of("link silent with STOP fallback", charging().with(w -> w
                        .requests(Requests.none(LinkState.SILENT_FALLBACK))
                        .cfg(CFG.toBuilder().fallback(FallbackMode.STOP).build()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenClauses")
    void a_broken_clause_forces_the_contactor_open(World w) {
        OutputGuard.Verdict v = w.check();
        assertThat(v.outputs().contactorClosed()).isFalse();
        assertThat(v.violations()).anyMatch(s -> s.startsWith("contactor forced open"));
    }

    @Test
    void closing_from_open_is_never_a_wind_down() {
        ControllerState prev = inSession(ChargerState.C2, CpState.C, true, false, 0);
        World w = charging().with(x -> new World(prev, x.next().toBuilder().state(ChargerState.C1)
                .stop(true, Optional.of(StopReason.REMOTE)).build(),
                x.outputs().withPwm(PwmDuty.STATIC_HIGH), x.in().contactor(false), x.r(), x.cfg()));
        assertThat(w.check().outputs().contactorClosed()).isFalse();
    }

    @Test
    void wind_down_may_hold_a_closed_contactor_until_the_timeout_only() {
        ControllerState prev = inSession(ChargerState.C1, CpState.C, true, true, 0).toBuilder()
                .stop(true, Optional.of(StopReason.REMOTE)).windDownSinceMillis(NOW).build();
        Outputs holding = new Outputs(PwmDuty.STATIC_HIGH, true, true, IndicatorState.CONNECTED);

        World inTime = new World(prev, prev, holding,
                in(NOW + CFG.stopOpenTimeoutMillis() - 1).pilot(CpState.C).contactor(true), up(), CFG);
        assertThat(inTime.check().outputs().contactorClosed()).isTrue();

        World late = new World(prev, prev, holding,
                in(NOW + CFG.stopOpenTimeoutMillis()).pilot(CpState.C).contactor(true), up(), CFG);
        assertThat(late.check().outputs().contactorClosed()).isFalse();

        World decisionRestartsTimer = new World(prev, prev.toBuilder().windDownSinceMillis(NOW + 5000).build(),
                holding, in(NOW + CFG.stopOpenTimeoutMillis() + 1).pilot(CpState.C).contactor(true), up(), CFG);
        assertThat(decisionRestartsTimer.check().outputs().contactorClosed()).isFalse();

        World withFault = new World(prev, prev, holding,
                in(NOW + 10).pilot(CpState.C).contactor(true).rcd(RcdStatus.TRIPPED_AC_30MA), up(), CFG);
        assertThat(withFault.check().outputs().contactorClosed()).isFalse();

        World vehicleAtB = new World(prev, prev, holding, in(NOW + 10).pilot(CpState.B).contactor(true), up(), CFG);
        assertThat(vehicleAtB.check().outputs().contactorClosed()).isFalse();
    }

    @Test
    void an_offer_above_the_limit_or_without_permission_is_switched_off() {
        World tooMuch = charging().with(w -> w.outputs(w.outputs().withPwm(PwmDuty.forCurrent(Current.ofAmps(32)))));
        OutputGuard.Verdict v = tooMuch.check();
        assertThat(v.outputs().pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(v.outputs().contactorClosed()).isFalse();

        World unauthorizedB2 = charging().with(w -> {
            w.in().pilot(CpState.B);
            return w.next(w.next().toBuilder().state(ChargerState.B2).authorized(false, "").build())
                    .outputs(w.outputs().withContactor(false));
        });
        assertThat(unauthorizedB2.check().outputs().pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
    }
}
