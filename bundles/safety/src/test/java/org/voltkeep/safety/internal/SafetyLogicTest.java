package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voltkeep.safety.internal.Fixtures.CFG;

import java.util.List;

import org.junit.jupiter.api.Test;
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

/** The safety rules on the pure function, time driven by the snapshots' board time. */
class SafetyLogicTest {
    private static final Requests UP = Requests.none(LinkState.UP);

    /** Plugged, authorized, charging in C2 at t = 200 with the contactor closed. */
    private static PureRun charging(SafetyConfig cfg) {
        PureRun run = new PureRun(cfg);
        run.step(run.in(0).pilot(CpState.B), UP.withAuthorize("tag-1"));
        run.step(run.in(100).pilot(CpState.C));
        run.step(run.in(200).pilot(CpState.C));
        assertThat(run.state.state()).isEqualTo(ChargerState.C2);
        assertThat(run.out.contactorClosed()).isTrue();
        return run;
    }

    @Test
    void a_session_runs_from_plug_in_to_unplug_and_counts_its_energy() {
        PureRun run = new PureRun(CFG);
        run.step(run.in(0).pilot(CpState.B).meterWh(1_000));
        assertThat(run.state.sessionActive()).isTrue();
        long first = run.state.sessionId();
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(run.out.indicator()).isEqualTo(IndicatorState.CONNECTED);
        assertThat(run.out.lockLocked()).isFalse();

        run.step(run.in(10).pilot(CpState.B).meterWh(1_000), UP.withAuthorize("card-7"));
        assertThat(run.state.state()).isEqualTo(ChargerState.B2);
        assertThat(run.state.idTag()).isEqualTo("card-7");
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.forCurrent(CFG.configuredMax()));
        assertThat(run.out.lockLocked()).isTrue();

        run.step(run.in(20).pilot(CpState.C).meterWh(1_000));
        assertThat(run.out.contactorClosed()).isTrue();
        assertThat(run.out.indicator()).isEqualTo(IndicatorState.CHARGING);
        run.step(run.in(5_000).pilot(CpState.C).meterWh(3_250));
        run.step(run.in(5_010).pilot(CpState.B).meterWh(3_250));
        assertThat(run.out.contactorClosed()).isFalse();
        run.step(run.in(6_000).pilot(CpState.A).meterWh(3_250));

        assertThat(run.state.state()).isEqualTo(ChargerState.A);
        assertThat(run.state.authorized()).isFalse();
        assertThat(run.state.sessionActive()).isFalse();
        assertThat(run.out.lockLocked()).isFalse();
        assertThat(run.out.indicator()).isEqualTo(IndicatorState.IDLE);
        List<SafetyEvent.SessionEnded> ended = run.events(SafetyEvent.SessionEnded.class);
        assertThat(ended).singleElement().satisfies(e -> {
            assertThat(e.sessionId()).isEqualTo(first);
            assertThat(e.energyWh()).isEqualTo(3_250 - 1_000);
            assertThat(e.reason()).isEqualTo(StopReason.EV_DISCONNECTED);
        });

        run.step(run.in(7_000).pilot(CpState.B));
        assertThat(run.state.sessionId()).isNotEqualTo(first).isNotZero();
        assertThat(run.state.authorized()).as("authorization ends with the session").isFalse();
    }

    @Test
    void authorization_before_plug_in_applies_to_the_next_session_and_a_stop_withdraws_it() {
        PureRun run = new PureRun(CFG);
        run.step(run.in(0), UP.withAuthorize("early"));
        assertThat(run.state.authorized()).isTrue();
        assertThat(run.state.state()).isEqualTo(ChargerState.A);
        assertThat(run.out.lockLocked()).isFalse();
        run.step(run.in(10).pilot(CpState.B));
        assertThat(run.state.state()).isEqualTo(ChargerState.B2);

        PureRun other = new PureRun(CFG);
        other.step(other.in(0), UP.withAuthorize("early"));
        other.step(other.in(10), UP.withStop(StopReason.REMOTE));
        assertThat(other.state.authorized()).isFalse();
        other.step(other.in(20).pilot(CpState.B));
        assertThat(other.state.state()).isEqualTo(ChargerState.B1);
    }

    @Test
    void a_stop_removes_the_pwm_at_once_and_opens_when_the_vehicle_goes_to_B() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C), UP.withStop(StopReason.REMOTE));
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(run.state.state()).isEqualTo(ChargerState.C1);
        assertThat(run.out.contactorClosed()).as("load still flowing: wind down").isTrue();
        run.step(run.in(1_400).pilot(CpState.B));
        assertThat(run.out.contactorClosed()).isFalse();
        assertThat(run.state.state()).isEqualTo(ChargerState.B1);
        assertThat(run.out.lockLocked()).as("a stopped session releases the plug").isFalse();
        run.step(run.in(2_000).pilot(CpState.A));
        assertThat(run.events(SafetyEvent.SessionEnded.class)).singleElement()
                .extracting(SafetyEvent.SessionEnded::reason).isEqualTo(StopReason.REMOTE);
    }

    @Test
    void a_stop_opens_at_the_latest_after_the_stop_open_timeout() {
        PureRun run = charging(CFG);
        long stopAt = 1_000;
        run.step(run.in(stopAt).pilot(CpState.C), UP.withStop(StopReason.LOCAL));
        run.step(run.in(stopAt + CFG.stopOpenTimeoutMillis() - 1).pilot(CpState.C));
        assertThat(run.out.contactorClosed()).isTrue();
        run.step(run.in(stopAt + CFG.stopOpenTimeoutMillis()).pilot(CpState.C));
        assertThat(run.out.contactorClosed()).isFalse();
        run.step(run.in(stopAt + CFG.stopOpenTimeoutMillis() + 10).pilot(CpState.C));
        assertThat(run.out.contactorClosed()).as("stays open").isFalse();
        assertThat(run.state.state()).isEqualTo(ChargerState.C1);
    }

    @Test
    void authorizing_again_after_a_stop_resumes_the_session() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C), UP.withStop(StopReason.REMOTE));
        run.step(run.in(1_200).pilot(CpState.B));
        run.step(run.in(1_300).pilot(CpState.B), UP.withAuthorize("tag-2"));
        assertThat(run.state.stopRequested()).isFalse();
        assertThat(run.state.state()).isEqualTo(ChargerState.B2);
    }

    @Test
    void a_limit_below_6_A_pauses_like_a_stop_and_a_higher_one_resumes() {
        PureRun run = charging(CFG);
        Requests low = UP.withClaims(List.of(new LimitClaim("grid", 50, 4_000, 60_000)));
        run.step(run.in(1_000).pilot(CpState.C), low);
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(run.state.state()).isEqualTo(ChargerState.C1);
        assertThat(run.decision.limit().source()).isEqualTo(LimitSource.REQUEST);
        run.step(run.in(1_300).pilot(CpState.B), low);
        assertThat(run.state.state()).isEqualTo(ChargerState.B1);
        assertThat(run.out.indicator()).isEqualTo(IndicatorState.PAUSED);
        Requests ok = UP.withClaims(List.of(new LimitClaim("grid", 50, 10_000, 60_000)));
        run.step(run.in(2_000).pilot(CpState.B), ok);
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.forCurrent(Current.ofAmps(10)));
        run.step(run.in(2_100).pilot(CpState.C), ok);
        assertThat(run.out.contactorClosed()).isTrue();
    }

    @Test
    void an_expired_request_no_longer_limits() {
        PureRun run = charging(CFG);
        Requests r = UP.withClaims(List.of(new LimitClaim("app", 10, 8_000, 1_500)));
        run.step(run.in(1_499).pilot(CpState.C), r);
        assertThat(run.decision.limit().current()).isEqualTo(new Current(8_000));
        run.step(run.in(1_500).pilot(CpState.C), r);
        assertThat(run.decision.limit().current()).isEqualTo(CFG.configuredMax());
    }

    @Test
    void over_temperature_derates_then_stops_and_resumes_below_the_resume_temperature() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C).celsius(70));
        assertThat(run.decision.limit().source()).isEqualTo(LimitSource.THERMAL_DERATING);
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.forCurrent(LimitArbiter.thermalLimit(
                run.in(0).celsius(70).build().temperature(), CFG).orElseThrow()));
        assertThat(run.out.contactorClosed()).isTrue();

        run.step(run.in(2_000).pilot(CpState.C).celsius(CFG.stopCelsius()));
        assertThat(run.state.faults()).containsExactly(Fault.OVER_TEMPERATURE);
        assertThat(run.out.contactorClosed()).as("open in the same cycle").isFalse();
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(run.state.state()).isEqualTo(ChargerState.C1);

        run.step(run.in(3_000).pilot(CpState.B).celsius(CFG.resumeCelsius()));
        assertThat(run.state.faults()).as("hysteresis: still latched at resumeCelsius").contains(Fault.OVER_TEMPERATURE);
        assertThat(run.state.state()).isEqualTo(ChargerState.B1);
        run.step(run.in(4_000).pilot(CpState.B).celsius(CFG.resumeCelsius() - 0.1));
        assertThat(run.state.faults()).isEmpty();
        assertThat(run.state.state()).isEqualTo(ChargerState.B2);
        run.step(run.in(4_100).pilot(CpState.C).celsius(30));
        assertThat(run.out.contactorClosed()).isTrue();
    }

    @Test
    void an_rcd_trip_latches_until_a_reset_with_the_rcd_ok_and_the_contactor_open() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C).rcd(RcdStatus.TRIPPED_DC_6MA));
        assertThat(run.out.contactorClosed()).isFalse();
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_LOW);
        assertThat(run.state.state()).isEqualTo(ChargerState.F);
        assertThat(run.out.indicator()).isEqualTo(IndicatorState.FAULT);

        run.step(run.in(1_100).pilot(CpState.F).rcd(RcdStatus.TRIPPED_DC_6MA), UP.withReset());
        assertThat(run.state.faults()).as("reset refused while tripped").contains(Fault.RCD_TRIP);
        run.step(run.in(1_200).pilot(CpState.F));
        assertThat(run.state.faults()).as("no reset, no clear").contains(Fault.RCD_TRIP);
        run.step(run.in(1_300).pilot(CpState.F).contactor(false, true), UP.withReset());
        assertThat(run.state.faults()).as("reset refused while feedback closed").contains(Fault.RCD_TRIP);
        run.step(run.in(1_400).pilot(CpState.F), UP.withReset());
        assertThat(run.state.faults()).isEmpty();
        assertThat(run.out.pwm()).isNotEqualTo(PwmDuty.STATIC_LOW);
        assertThat(run.events(SafetyEvent.FaultCleared.class)).extracting(SafetyEvent.FaultCleared::fault)
                .containsExactly(Fault.RCD_TRIP);
    }

    @Test
    void a_welded_contactor_latches_permanently_after_the_weld_check_time() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.B));
        assertThat(run.out.contactorClosed()).isFalse();
        long openedAt = 1_000;
        run.step(run.in(openedAt + CFG.weldCheckMillis() - 1).pilot(CpState.B).contactor(false, true));
        assertThat(run.state.faults()).isEmpty();
        run.step(run.in(openedAt + CFG.weldCheckMillis()).pilot(CpState.B).contactor(false, true));
        assertThat(run.state.faults()).containsExactly(Fault.CONTACTOR_WELDED);
        assertThat(run.state.state()).isEqualTo(ChargerState.F);
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_LOW);

        run.step(run.in(2_000).pilot(CpState.A).contactor(false, true), UP.withAuthorize("again").withReset());
        assertThat(run.state.faults()).containsExactly(Fault.CONTACTOR_WELDED);
        assertThat(run.state.authorized()).isFalse();
        run.step(run.in(3_000).pilot(CpState.B).contactor(false, true));
        assertThat(run.state.state()).isEqualTo(ChargerState.F);
        assertThat(run.out.contactorClosed()).isFalse();
    }

    @Test
    void a_contactor_that_does_not_close_latches_until_unplug() {
        PureRun run = new PureRun(CFG);
        run.step(run.in(0).pilot(CpState.B), UP.withAuthorize("t"));
        run.step(run.in(10).pilot(CpState.C));
        assertThat(run.out.contactorClosed()).isTrue();
        long closedAt = 10;
        run.step(run.in(closedAt + CFG.closeCheckMillis() - 1).pilot(CpState.C).contactor(true, false));
        assertThat(run.state.faults()).isEmpty();
        run.step(run.in(closedAt + CFG.closeCheckMillis()).pilot(CpState.C).contactor(true, false));
        assertThat(run.state.faults()).containsExactly(Fault.CONTACTOR_STUCK_OPEN);
        assertThat(run.out.contactorClosed()).isFalse();
        assertThat(run.state.state()).isEqualTo(ChargerState.F);
        assertThat(run.out.pwm()).as("+12 V so the unplug is seen").isEqualTo(PwmDuty.STATIC_HIGH);

        run.step(run.in(2_000).pilot(CpState.B), UP.withReset());
        assertThat(run.state.faults()).as("not cleared by reset").containsExactly(Fault.CONTACTOR_STUCK_OPEN);
        run.step(run.in(3_000).pilot(CpState.A));
        assertThat(run.state.faults()).isEmpty();
        assertThat(run.state.state()).isEqualTo(ChargerState.A);
    }

    @Test
    void a_shorted_pilot_is_state_E_until_the_pilot_reads_A() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.E));
        assertThat(run.state.state()).isEqualTo(ChargerState.E);
        assertThat(run.state.faults()).containsExactly(Fault.CP_SHORT);
        assertThat(run.out.contactorClosed()).isFalse();
        run.step(run.in(1_100).pilot(CpState.C));
        assertThat(run.state.state()).as("latched until unplug").isEqualTo(ChargerState.E);
        run.step(run.in(1_200).pilot(CpState.A));
        assertThat(run.state.faults()).isEmpty();
        assertThat(run.state.state()).isEqualTo(ChargerState.A);

        PureRun empty = new PureRun(CFG);
        empty.step(empty.in(0).pilot(CpState.E));
        assertThat(empty.state.state()).isEqualTo(ChargerState.E);
        assertThat(empty.state.sessionActive()).as("a short is no vehicle").isFalse();
        empty.step(empty.in(10).pilot(CpState.E));
        assertThat(empty.events(SafetyEvent.FaultRaised.class)).hasSize(1);
    }

    @Test
    void a_missing_diode_and_a_removed_cable_latch_until_unplug() {
        PureRun diode = charging(CFG);
        diode.step(diode.in(1_000).pilot(CpState.F));
        assertThat(diode.state.faults()).containsExactly(Fault.DIODE_FAULT);
        assertThat(diode.out.contactorClosed()).isFalse();
        assertThat(diode.state.state()).isEqualTo(ChargerState.F);
        diode.step(diode.in(1_100).pilot(CpState.B));
        assertThat(diode.state.faults()).containsExactly(Fault.DIODE_FAULT);
        diode.step(diode.in(1_200).pilot(CpState.A));
        assertThat(diode.state.faults()).isEmpty();

        PureRun cable = charging(CFG);
        cable.step(cable.in(1_000).pilot(CpState.C).cable(CableRating.NONE));
        assertThat(cable.state.faults()).containsExactly(Fault.CABLE_REMOVED);
        assertThat(cable.out.contactorClosed()).isFalse();
        cable.step(cable.in(1_100).pilot(CpState.A).cable(CableRating.NONE));
        assertThat(cable.state.faults()).isEmpty();
    }

    @Test
    void a_watchdog_expiry_takes_the_charger_out_of_service() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C).watchdogExpired());
        assertThat(run.state.faults()).containsExactly(Fault.WATCHDOG_EXPIRED);
        assertThat(run.out.contactorClosed()).isFalse();
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_LOW);
    }

    @Test
    void under_minus_12_V_only_an_absent_cable_shows_the_vehicle_left() {
        PureRun run = charging(CFG);
        run.step(run.in(1_000).pilot(CpState.C).rcd(RcdStatus.TRIPPED_AC_30MA));
        run.step(run.in(1_100).pilot(CpState.F));
        assertThat(run.state.sessionActive()).isTrue();
        run.step(run.in(1_200).pilot(CpState.F).cable(CableRating.NONE));
        assertThat(run.state.sessionActive()).isFalse();
        assertThat(run.state.faults()).as("RCD still latched until reset").containsExactly(Fault.RCD_TRIP);
    }

    @Test
    void d_without_ventilation_stays_D1_and_with_ventilation_charges() {
        PureRun run = new PureRun(CFG);
        run.step(run.in(0).pilot(CpState.B), UP.withAuthorize("t"));
        run.step(run.in(10).pilot(CpState.D));
        assertThat(run.state.state()).isEqualTo(ChargerState.D1);
        assertThat(run.out.contactorClosed()).isFalse();
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(run.state.faults()).isEmpty();

        PureRun vent = new PureRun(Fixtures.VENT);
        vent.step(vent.in(0).pilot(CpState.B), UP.withAuthorize("t"));
        vent.step(vent.in(10).pilot(CpState.D));
        assertThat(vent.state.state()).isEqualTo(ChargerState.D2);
        assertThat(vent.out.contactorClosed()).isTrue();
    }

    @Test
    void a_silent_link_with_safe_current_caps_at_the_fallback_current_and_keeps_charging() {
        PureRun run = charging(CFG);
        Requests silent = Requests.none(LinkState.SILENT_FALLBACK)
                .withClaims(List.of(new LimitClaim("app", 10, 20_000, 99_999)));
        run.step(run.in(1_000).pilot(CpState.C), silent);
        assertThat(run.decision.limit()).isEqualTo(new EffectiveLimit(CFG.fallbackCurrent(), LimitSource.LINK_FALLBACK,
                ""));
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.forCurrent(CFG.fallbackCurrent()));
        assertThat(run.out.contactorClosed()).isTrue();
        assertThat(run.state.stopRequested()).isFalse();
    }

    @Test
    void a_silent_link_with_stop_fallback_stops_the_session() {
        SafetyConfig stopCfg = CFG.toBuilder().fallback(FallbackMode.STOP).build();
        PureRun run = charging(stopCfg);
        run.step(run.in(1_000).pilot(CpState.C), Requests.none(LinkState.SILENT_FALLBACK));
        assertThat(run.state.stopRequested()).isTrue();
        assertThat(run.state.stopReason()).contains(StopReason.LINK_SILENT);
        assertThat(run.out.pwm()).isEqualTo(PwmDuty.STATIC_HIGH);
        run.step(run.in(1_200).pilot(CpState.B), Requests.none(LinkState.SILENT_FALLBACK));
        assertThat(run.out.contactorClosed()).isFalse();
        // link back: still stopped until authorized again
        run.step(run.in(1_300).pilot(CpState.B));
        assertThat(run.state.state()).isEqualTo(ChargerState.B1);
    }

    @Test
    void authorization_is_ignored_while_a_fault_is_latched() {
        PureRun run = new PureRun(CFG);
        run.step(run.in(0).pilot(CpState.B).rcd(RcdStatus.TRIPPED_AC_30MA));
        run.step(run.in(10).pilot(CpState.B).rcd(RcdStatus.TRIPPED_AC_30MA), UP.withAuthorize("t"));
        assertThat(run.state.authorized()).isFalse();
    }
}
