package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimFault;

/**
 * Every safety rule with its fault injected on the simulated board: what the
 * contactor, the pilot and the status show, and how many board ms it took.
 */
class SafetyRulesSimTest {
    private static final SafetyConfig CFG = SafetyConfig.defaults();

    /** A fault seen in a cycle must open the contactor and leave the offer in that same cycle. */
    private static void assertOpenedInTheSameCycle(SimRig rig, long injectedAt, Fault fault) {
        ChargerStatus s = rig.cycle();
        assertThat(s.boardMillis()).isEqualTo(injectedAt);
        assertThat(s.activeFaults()).contains(fault);
        assertThat(s.contactorCommanded()).isFalse();
        assertThat(rig.board.contactor().commandedClosed()).isFalse();
        assertThat(PwmDuty.STATIC_HIGH.permille() == s.pwmPermille() || s.pwmPermille() == 0).isTrue();
        assertThat(rig.board.controlPilot().duty().oscillating()).isFalse();
        rig.run(SimRigConstants.TRAVEL_MILLIS);
        assertThat(rig.board.contactor().feedbackClosed()).isFalse();
        assertThat(rig.board.ev().drawingMilliamps()).isZero();
    }

    @Test
    void rcd_trip_opens_at_once_and_latches_until_a_reset_once_the_rcd_is_ok() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.inject(SimFault.RCD_DC_6MA);
        assertOpenedInTheSameCycle(rig, rig.now(), Fault.RCD_TRIP);
        ChargerStatus s = rig.status();
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(s.pwmPermille()).isEqualTo(PwmDuty.STATIC_LOW.permille());

        Reply early = rig.ctl.resetFaults();
        assertThat(early.accepted()).isFalse();
        assertThat(early.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(early.detail()).contains("TRIPPED_DC_6MA");
        assertThat(rig.ctl.authorize("again").code()).isEqualTo(ErrorCode.FAULT_LATCHED);

        rig.board.clear(SimFault.RCD_DC_6MA);
        rig.run(1_000);
        assertThat(rig.status().activeFaults()).as("no reset, still latched").containsExactly(Fault.RCD_TRIP);

        assertThat(rig.ctl.resetFaults().accepted()).isTrue();
        rig.cycle();
        assertThat(rig.status().activeFaults()).isEmpty();
        // still plugged and authorized: the session resumes
        rig.runUntil(st -> st.charging() && st.contactorFeedback(), 5_000);
    }

    @Test
    void a_welded_contactor_latches_permanently_and_survives_a_restart(@TempDir Path data) throws Exception {
        Path stateDir = data.resolve("safety");
        SafetyConfig cfg = CFG.toBuilder().stateDir(Optional.of(stateDir)).build();
        SimRig rig = new SimRig(cfg);
        rig.charging(EvProfile.standard());
        rig.board.inject(SimFault.CONTACTOR_WELDED);
        assertThat(rig.ctl.stop(StopReason.REMOTE).accepted()).isTrue();
        rig.runUntil(s -> !s.contactorCommanded(), 5_000);
        long openedAt = rig.now();

        long took = rig.runUntil(s -> s.activeFaults().contains(Fault.CONTACTOR_WELDED), 5_000, 1);
        assertThat(rig.now() - openedAt).isEqualTo(took).isEqualTo(CFG.weldCheckMillis());
        ChargerStatus s = rig.status();
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(s.pwmPermille()).isEqualTo(PwmDuty.STATIC_LOW.permille());
        assertThat(s.contactorFeedback()).isTrue();
        Reply refused = rig.ctl.authorize("next");
        assertThat(refused.code()).isEqualTo(ErrorCode.FAULT_LATCHED);
        assertThat(refused.detail()).contains("CONTACTOR_WELDED");
        assertThat(rig.ctl.resetFaults().detail()).contains("CONTACTOR_WELDED").contains("service");

        Path file = stateDir.resolve(FaultStore.FILE_NAME);
        assertThat(Files.readAllLines(file)).contains("CONTACTOR_WELDED");
        assertThat(stateDir.resolve(FaultStore.FILE_NAME + ".tmp")).doesNotExist();

        // unplug: the session ends, the fault stays
        rig.board.unplug();
        rig.run(100);
        assertThat(rig.status().sessionId()).isZero();
        assertThat(rig.status().activeFaults()).contains(Fault.CONTACTOR_WELDED);

        // a restart of safety on a healthy board keeps it latched until service clears the file
        SimRig restarted = new SimRig(cfg);
        assertThat(restarted.ctl.authorize("x").code()).isEqualTo(ErrorCode.FAULT_LATCHED);
        restarted.cycle();
        restarted.board.plugIn(EvProfile.standard(), CableRating.A32);
        restarted.run(2_000);
        assertThat(restarted.status().activeFaults()).contains(Fault.CONTACTOR_WELDED);
        assertThat(restarted.status().state()).isEqualTo(ChargerState.F);
        assertThat(restarted.board.contactor().commandedClosed()).isFalse();

        Files.delete(file);
        SimRig serviced = new SimRig(cfg);
        assertThat(serviced.cycle().activeFaults()).isEmpty();
    }

    @Test
    void a_contactor_that_does_not_close_latches_until_unplug() {
        SimRig rig = new SimRig(CFG);
        rig.board.inject(SimFault.CONTACTOR_NO_CLOSE);
        rig.cycle();
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.ctl.authorize("t");
        rig.runUntil(s -> s.contactorCommanded(), 5_000);
        long closedAt = rig.now();
        rig.runUntil(s -> s.activeFaults().contains(Fault.CONTACTOR_STUCK_OPEN), 5_000, 1);
        assertThat(rig.now() - closedAt).isEqualTo(CFG.closeCheckMillis());
        ChargerStatus s = rig.status();
        assertThat(s.contactorCommanded()).isFalse();
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(rig.ctl.authorize("again").code()).isEqualTo(ErrorCode.FAULT_LATCHED);

        rig.board.clear(SimFault.CONTACTOR_NO_CLOSE);
        rig.run(1_000);
        assertThat(rig.status().activeFaults()).containsExactly(Fault.CONTACTOR_STUCK_OPEN);
        rig.board.unplug();
        ChargerStatus gone = rig.cycle();
        assertThat(gone.activeFaults()).isEmpty();
        assertThat(gone.state()).isEqualTo(ChargerState.A);
    }

    @Test
    void over_temperature_derates_stops_and_resumes_after_cooling() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard().withName("long") );
        rig.board.inject(SimFault.OVER_TEMPERATURE);

        rig.runUntil(s -> s.temperatureDeciC() > CFG.derateStartCelsius() * 10, 120_000, 100);
        ChargerStatus derating = rig.status();
        assertThat(derating.limitSource()).isEqualTo(LimitSource.THERMAL_DERATING);
        assertThat(derating.limitMilliamps()).isLessThan(CFG.configuredMax().milliamps());
        assertThat(derating.charging()).isTrue();

        // the first cycle that sees stopCelsius opens
        rig.runUntil(s -> s.temperatureDeciC() >= CFG.stopCelsius() * 10, 120_000, 10);
        ChargerStatus hot = rig.status();
        assertThat(hot.activeFaults()).containsExactly(Fault.OVER_TEMPERATURE);
        assertThat(hot.contactorCommanded()).isFalse();
        assertThat(hot.pwmPermille()).isEqualTo(PwmDuty.STATIC_HIGH.permille());
        assertThat(hot.state()).isIn(ChargerState.C1, ChargerState.B1);

        rig.board.clear(SimFault.OVER_TEMPERATURE);
        rig.runUntil(s -> s.temperatureDeciC() < CFG.resumeCelsius() * 10 + 5, 120_000, 100);
        assertThat(rig.status().activeFaults()).as("hysteresis down to resumeCelsius")
                .containsExactly(Fault.OVER_TEMPERATURE);
        rig.runUntil(s -> s.activeFaults().isEmpty(), 10_000);
        rig.runUntil(s -> s.charging() && s.contactorFeedback(), 5_000);
    }

    @Test
    void a_shorted_pilot_is_state_E_until_unplug() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.inject(SimFault.CP_SHORT);
        assertOpenedInTheSameCycle(rig, rig.now(), Fault.CP_SHORT);
        assertThat(rig.status().state()).isEqualTo(ChargerState.E);
        rig.board.clear(SimFault.CP_SHORT);
        rig.run(1_000);
        assertThat(rig.status().state()).isEqualTo(ChargerState.E);
        assertThat(rig.board.contactor().commandedClosed()).isFalse();
        rig.board.unplug();
        assertThat(rig.cycle().activeFaults()).isEmpty();
        assertThat(rig.status().state()).isEqualTo(ChargerState.A);
    }

    @Test
    void a_missing_diode_latches_until_unplug() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.inject(SimFault.DIODE_MISSING);
        assertOpenedInTheSameCycle(rig, rig.now(), Fault.DIODE_FAULT);
        assertThat(rig.status().state()).isEqualTo(ChargerState.F);
        rig.run(2_000);
        assertThat(rig.status().activeFaults()).containsExactly(Fault.DIODE_FAULT);
        assertThat(rig.board.controlPilot().duty().oscillating()).isFalse();
        rig.board.unplug();
        assertThat(rig.cycle().activeFaults()).isEmpty();
    }

    @Test
    void a_removed_cable_latches_until_unplug() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.inject(SimFault.PP_REMOVED);
        assertOpenedInTheSameCycle(rig, rig.now(), Fault.CABLE_REMOVED);
        rig.board.clear(SimFault.PP_REMOVED);
        rig.run(500);
        assertThat(rig.status().activeFaults()).containsExactly(Fault.CABLE_REMOVED);
        rig.board.unplug();
        assertThat(rig.cycle().activeFaults()).isEmpty();
    }

    @Test
    void an_expired_watchdog_takes_the_charger_out_of_service() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        long petsBefore = rig.board.watchdogPets();
        // the loop hangs: no cycle for longer than the watchdog timeout
        rig.board.step(Duration.ofMillis(CFG.watchdogTimeoutMillis() + 100));
        assertThat(rig.board.watchdog().expired()).isTrue();
        ChargerStatus s = rig.cycle();
        assertThat(s.activeFaults()).contains(Fault.WATCHDOG_EXPIRED);
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(s.contactorCommanded()).isFalse();
        assertThat(rig.board.watchdogPets()).isGreaterThan(petsBefore);
    }

    @Test
    void a_failed_self_test_energizes_nothing_in_this_boot() {
        SimRig rig = new SimRig(CFG);
        rig.board.inject(SimFault.RCD_AC_30MA);
        ChargerStatus s = rig.cycle();
        assertThat(s.selfTestPassed()).isFalse();
        assertThat(s.activeFaults()).contains(Fault.SELF_TEST_FAILED);
        rig.board.clear(SimFault.RCD_AC_30MA);
        assertThat(rig.ctl.resetFaults().accepted()).isTrue();
        rig.run(100);
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        assertThat(rig.ctl.authorize("t").code()).isEqualTo(ErrorCode.FAULT_LATCHED);
        rig.run(3_000);
        assertThat(rig.status().activeFaults()).containsExactly(Fault.SELF_TEST_FAILED);
        assertThat(rig.board.contactor().commandedClosed()).isFalse();
        assertThat(rig.board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_LOW);
    }

    @Test
    void a_stop_removes_the_pwm_at_once_and_opens_when_the_car_goes_to_B() {
        SimRig rig = new SimRig(CFG);
        EvProfile ev = EvProfile.standard();
        rig.charging(ev);
        assertThat(rig.ctl.stop(StopReason.LOCAL).accepted()).isTrue();
        long stopAt = rig.now();
        ChargerStatus s = rig.cycle();
        assertThat(s.pwmPermille()).isEqualTo(PwmDuty.STATIC_HIGH.permille());
        assertThat(s.stopRequested()).isTrue();
        assertThat(s.contactorCommanded()).as("the car still draws: wind down").isTrue();
        rig.runUntil(st -> !st.contactorCommanded(), CFG.stopOpenTimeoutMillis());
        assertThat(rig.now() - stopAt).isBetween((long) ev.reactionMillis(), ev.reactionMillis() + SimRig.STEP_MILLIS);
        assertThat(rig.status().state()).isEqualTo(ChargerState.B1);
        rig.run(SimRigConstants.TRAVEL_MILLIS);
        assertThat(rig.board.cableLock().feedbackLocked()).as("a stopped session lets the driver leave").isFalse();
    }

    @Test
    void a_stop_opens_at_the_latest_after_the_timeout_when_the_car_does_not_react() {
        SimRig rig = new SimRig(CFG);
        EvProfile slow = new EvProfile("slow", 16_000, 3, 40_000, 20, 100, true, false, 5_000);
        rig.charging(slow);
        rig.ctl.stop(StopReason.REMOTE);
        long stopAt = rig.now();
        assertThat(rig.cycle().pwmPermille()).isEqualTo(PwmDuty.STATIC_HIGH.permille());
        rig.runUntil(st -> !st.contactorCommanded(), 2 * CFG.stopOpenTimeoutMillis(), 1);
        assertThat(rig.now() - stopAt).isEqualTo(CFG.stopOpenTimeoutMillis());
        assertThat(rig.status().state()).isEqualTo(ChargerState.C1);
    }

    @Test
    void d_without_ventilation_stays_D1_and_with_ventilation_charges() {
        EvProfile vent = new EvProfile("vent", 16_000, 3, 40_000, 20, 100, true, true, 200);
        SimRig noVent = new SimRig(CFG);
        noVent.cycle();
        noVent.board.plugIn(vent, CableRating.A32);
        noVent.ctl.authorize("t");
        noVent.run(100);
        // A car that wants ventilation answers the offer with D
        noVent.runUntil(s -> s.state() == ChargerState.D1, 2_000);
        noVent.run(2_000);
        assertThat(noVent.status().state()).isEqualTo(ChargerState.D1);
        assertThat(noVent.status().activeFaults()).isEmpty();
        assertThat(noVent.board.contactor().commandedClosed()).isFalse();

        SimRig withVent = new SimRig(CFG.toBuilder().ventilationAvailable(true).build());
        withVent.cycle();
        withVent.board.plugIn(vent, CableRating.A32);
        withVent.ctl.authorize("t");
        withVent.runUntil(s -> s.state() == ChargerState.D2 && s.contactorFeedback(), 2_000);
        assertThat(withVent.status().charging()).isTrue();
    }

    @Test
    void the_ev_pausing_itself_opens_in_the_same_cycle_and_resuming_closes_again() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.evPause(true);
        long pausedAt = rig.now();
        ChargerStatus s = rig.cycle();
        assertThat(s.boardMillis()).isEqualTo(pausedAt);
        assertThat(s.contactorCommanded()).isFalse();
        assertThat(s.state()).isEqualTo(ChargerState.B2);
        rig.board.evPause(false);
        rig.runUntil(st -> st.charging(), 2_000);
    }

    @Test
    void ambient_heat_derates_without_a_fault() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.board.setAmbientTemperature(Temperature.ofCelsius(75));
        ChargerStatus s = rig.cycle();
        assertThat(s.limitSource()).isEqualTo(LimitSource.THERMAL_DERATING);
        assertThat(s.limitMilliamps()).isEqualTo(LimitArbiter.thermalLimit(Temperature.ofCelsius(75), CFG)
                .orElseThrow().milliamps());
        assertThat(s.activeFaults()).isEmpty();
    }
}
