package org.voltkeep.safety.hold.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimulatedBoard;

/**
 * The hold on the simulated board, cycle by cycle with board time stepped by the test:
 * cars that ask for energy, requests of every kind, outputs written behind its back,
 * a welded contactor. The contactor never closes and every refusal says why.
 */
class HoldControllerTest {
    private static final Duration CYCLE = Duration.ofMillis(10);
    private static final PwmDuty OFFER_16A = PwmDuty.forCurrent(Current.ofAmps(16));

    /** A board, the hold on it, and every contactor event the board saw. */
    private static final class Rig {
        final SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        final ManualWallClock wall = new ManualWallClock();
        final HoldController hold = new HoldController(board, HoldSettings.defaults(), wall);
        final List<SimEvent> contactorEvents = new CopyOnWriteArrayList<>();
        final List<ChargerStatus> published = new CopyOnWriteArrayList<>();

        Rig() {
            board.addSimListener(e -> {
                if (e.kind() == SimEvent.Kind.CONTACTOR_COMMANDED || e.kind() == SimEvent.Kind.CONTACTOR_FEEDBACK) {
                    contactorEvents.add(e);
                }
            });
            hold.addStatusListener(published::add);
        }

        /** One cycle, then the invariants the hold must restore in every cycle. */
        ChargerStatus cycle() {
            hold.cycleOnce();
            assertThat(board.contactor().commandedClosed()).as("contactor command after a cycle").isFalse();
            assertThat(board.controlPilot().duty()).as("pilot after a cycle").isEqualTo(PwmDuty.STATIC_LOW);
            return hold.status();
        }

        /** Runs the hold like its thread does, a cycle every 10 ms of board time, for {@code d}. */
        void run(Duration d) {
            for (long t = 0; t < d.toMillis(); t += CYCLE.toMillis()) {
                board.step(CYCLE);
                wall.advance(CYCLE);
                hold.linkHeartbeat();
                cycle();
            }
        }

        /** Closing commands and closed feedback the board ever saw. */
        List<SimEvent> closings() {
            return contactorEvents.stream().filter(e -> e.detail().equals("closed")).toList();
        }
    }

    @Test
    void before_its_first_cycle_nothing_is_confirmed() {
        Rig rig = new Rig();
        ChargerStatus s = rig.hold.status();
        assertThat(s.selfTestPassed()).isFalse();
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(s.authorized()).isFalse();
        assertThat(rig.board.watchdogArmed()).isFalse();
    }

    @Test
    void the_first_cycle_holds_the_board_and_confirms_the_contactor_open_from_its_feedback() {
        Rig rig = new Rig();
        ChargerStatus s = rig.cycle();
        assertThat(rig.board.controlPilot().measuredState()).isEqualTo(CpState.F);
        assertThat(rig.board.indicator().showing()).isEqualTo(IndicatorState.FAULT);
        assertThat(rig.board.watchdogArmed()).isTrue();
        assertThat(rig.board.watchdogPets()).isEqualTo(1);
        assertThat(s.state()).isEqualTo(ChargerState.F);
        assertThat(s.pwmPermille()).isZero();
        assertThat(s.contactorCommanded()).isFalse();
        assertThat(s.contactorFeedback()).isFalse();
        assertThat(s.selfTestPassed()).isTrue();
        assertThat(s.authorized()).isFalse();
        assertThat(s.idTag()).isEmpty();
        assertThat(s.sessionId()).isZero();
        assertThat(s.limitMilliamps()).isZero();
        assertThat(s.limitSource()).isEqualTo(LimitSource.NONE);
        assertThat(s.fallback()).isEqualTo(FallbackMode.STOP);
        assertThat(s.activeFaults()).isEmpty();
        assertThat(s.link()).isEqualTo(LinkState.UP);
        assertThat(rig.published).containsExactly(s);
        rig.run(Duration.ofMillis(200));
        assertThat(rig.board.cableLock().feedbackLocked()).isFalse();
    }

    @Test
    void a_car_in_state_c_asking_for_energy_gets_none_and_every_authorize_is_refused() {
        Rig rig = new Rig();
        // A board left offering 16 A when the recovery image boots: the car answers with C.
        rig.board.controlPilot().setDuty(OFFER_16A);
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.board.step(Duration.ofSeconds(1));
        assertThat(rig.board.ev().pilot()).isEqualTo(CpState.C);
        assertThat(rig.board.controlPilot().measuredState()).isEqualTo(CpState.C);

        ChargerStatus first = rig.cycle();
        assertThat(first.state()).isEqualTo(ChargerState.F);
        assertThat(first.cableMilliamps()).as("the car's cable is seen through the proximity pilot").isEqualTo(32_000);
        for (int i = 0; i < 20; i++) {
            Reply r = rig.hold.authorize("card-" + i);
            assertThat(r.accepted()).isFalse();
            assertThat(r.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(r.detail()).contains("recovery image");
            rig.run(Duration.ofMillis(500));
            assertThat(rig.hold.status().authorized()).isFalse();
        }
        assertThat(rig.closings()).as("no close command, no closed feedback").isEmpty();
        assertThat(rig.board.contactor().feedbackClosed()).isFalse();
        assertThat(rig.board.ev().drawingMilliamps()).isZero();
        assertThat(rig.board.importedWattHoursExact()).isZero();
        assertThat(rig.board.ev().pilot()).as("the car gave up once the offer was gone").isEqualTo(CpState.B);
        ChargerStatus s = rig.hold.status();
        assertThat(s.selfTestPassed()).isTrue();
        assertThat(s.currentMilliamps()).isZero();
        assertThat(s.sessionId()).isZero();
    }

    @Test
    void limit_requests_are_refused_and_change_nothing() {
        Rig rig = new Rig();
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.run(Duration.ofMillis(100));
        ChargerStatus before = HoldController.significant(rig.hold.status());

        Reply limit = rig.hold.setLimit(new LimitRequest("grid", 50, 16_000, Duration.ofMinutes(5)));
        assertThat(limit.accepted()).isFalse();
        assertThat(limit.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(limit.detail()).contains("recovery image").contains("no current is offered");
        Reply clear = rig.hold.clearLimit("grid");
        assertThat(clear.accepted()).isFalse();
        assertThat(clear.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(rig.hold.setLimit(null).code()).as("even a missing request gets an answer").isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(rig.hold.authorize(null).code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(rig.hold.authorize("").code()).isEqualTo(ErrorCode.NOT_ALLOWED);

        rig.run(Duration.ofMillis(100));
        ChargerStatus after = rig.hold.status();
        assertThat(HoldController.significant(after)).isEqualTo(before);
        assertThat(after.limitMilliamps()).isZero();
        assertThat(after.limitSource()).isEqualTo(LimitSource.NONE);
        assertThat(rig.closings()).isEmpty();
    }

    @Test
    void a_stop_and_a_fault_reset_with_nothing_latched_are_accepted_because_they_ask_for_what_holds() {
        Rig rig = new Rig();
        rig.run(Duration.ofMillis(50));
        assertThat(rig.hold.stop(StopReason.REMOTE)).isEqualTo(Reply.OK);
        assertThat(rig.hold.resetFaults()).isEqualTo(Reply.OK);
        rig.run(Duration.ofMillis(50));
        assertThat(rig.hold.status().stopRequested()).isFalse();
        assertThat(rig.closings()).isEmpty();
    }

    @Test
    void outputs_written_behind_its_back_are_undone_in_the_next_cycle_before_the_contacts_move() {
        Rig rig = new Rig();
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.run(Duration.ofMillis(100));
        for (int i = 0; i < 10; i++) {
            rig.board.controlPilot().setDuty(OFFER_16A);
            rig.board.contactor().command(true);
            // the next cycle comes before the contactor's 20 ms travel ends
            rig.board.step(Duration.ofMillis(SimulatedBoard.CONTACTOR_TRAVEL_MILLIS / 2));
            rig.cycle();
            rig.run(Duration.ofMillis(200));
        }
        List<SimEvent> closings = rig.closings();
        assertThat(closings).as("only the test's own close commands").hasSize(10)
                .allMatch(e -> e.kind() == SimEvent.Kind.CONTACTOR_COMMANDED);
        assertThat(rig.board.contactor().feedbackClosed()).isFalse();
        assertThat(rig.hold.status().selfTestPassed()).isTrue();
        assertThat(rig.hold.status().activeFaults()).isEmpty();
    }

    @Test
    void a_welded_contactor_fails_the_check_is_reported_and_cannot_be_reset() {
        Rig rig = new Rig();
        // Contacts welded shut before the recovery image started.
        rig.board.contactor().command(true);
        rig.board.step(Duration.ofMillis(50));
        rig.board.inject(SimFault.CONTACTOR_WELDED);
        assertThat(rig.board.contactor().feedbackClosed()).isTrue();

        ChargerStatus first = rig.cycle();
        assertThat(first.selfTestPassed()).as("open not confirmed by the feedback").isFalse();
        assertThat(first.contactorFeedback()).isTrue();
        assertThat(first.activeFaults()).as("within the check time").isEmpty();
        rig.run(Duration.ofMillis(HoldSettings.defaults().feedbackCheckMillis()));
        ChargerStatus s = rig.hold.status();
        assertThat(s.activeFaults()).containsExactly(Fault.CONTACTOR_WELDED);
        assertThat(s.selfTestPassed()).isFalse();
        assertThat(s.contactorCommanded()).isFalse();

        Reply reset = rig.hold.resetFaults();
        assertThat(reset.accepted()).isFalse();
        assertThat(reset.code()).isEqualTo(ErrorCode.FAULT_LATCHED);
        assertThat(reset.detail()).contains("needs service");
        assertThat(rig.hold.authorize("card").code()).isEqualTo(ErrorCode.NOT_ALLOWED);

        // even if the contacts come free, the weld stays reported for this boot
        rig.board.clear(SimFault.CONTACTOR_WELDED);
        rig.board.contactor().command(true);
        rig.cycle();
        rig.run(Duration.ofMillis(100));
        assertThat(rig.board.contactor().feedbackClosed()).isFalse();
        assertThat(rig.hold.status().activeFaults()).containsExactly(Fault.CONTACTOR_WELDED);
        assertThat(rig.hold.status().selfTestPassed()).isFalse();
    }

    @Test
    void a_residual_current_and_an_expired_watchdog_are_reported_while_the_board_says_so() {
        Rig rig = new Rig();
        rig.run(Duration.ofMillis(50));
        rig.board.inject(SimFault.RCD_DC_6MA);
        rig.run(Duration.ofMillis(20));
        assertThat(rig.hold.status().activeFaults()).containsExactly(Fault.RCD_TRIP);
        assertThat(rig.hold.status().selfTestPassed()).as("the check is about the contactor").isTrue();
        rig.board.clear(SimFault.RCD_DC_6MA);
        rig.run(Duration.ofMillis(20));
        assertThat(rig.hold.status().activeFaults()).isEmpty();

        // no cycle for longer than the watchdog timeout: the board resets its outputs
        rig.board.step(Duration.ofMillis(HoldSettings.defaults().watchdogTimeoutMillis() + 100));
        assertThat(rig.board.watchdog().expired()).isTrue();
        assertThat(rig.board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_HIGH);
        ChargerStatus s = rig.cycle();
        assertThat(s.activeFaults()).containsExactly(Fault.WATCHDOG_EXPIRED);
        assertThat(s.pwmPermille()).as("pilot held again at -12 V").isZero();
        assertThat(rig.closings()).isEmpty();
    }

    @Test
    void the_link_state_follows_the_heartbeats_in_wall_time() {
        Rig rig = new Rig();
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
        rig.wall.advance(Duration.ofMillis(HoldSettings.defaults().linkTimeoutMillis() + 1));
        assertThat(rig.cycle().link()).isEqualTo(LinkState.SILENT_FALLBACK);
        rig.hold.linkHeartbeat();
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
        rig.hold.linkClosed();
        assertThat(rig.cycle().link()).as("a closed connection counts at once").isEqualTo(LinkState.SILENT_FALLBACK);
        rig.hold.linkHeartbeat();
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
        assertThat(rig.closings()).isEmpty();
    }

    @Test
    void statuses_are_published_on_a_change_and_at_least_once_a_second() {
        Rig rig = new Rig();
        rig.cycle();
        rig.cycle();
        assertThat(rig.published).hasSize(1);
        rig.board.plugIn(EvProfile.standard(), CableRating.A20);
        ChargerStatus plugged = rig.cycle();
        assertThat(rig.published).hasSize(2).last().isEqualTo(plugged);
        assertThat(plugged.cableMilliamps()).isEqualTo(20_000);
        rig.wall.advance(Duration.ofMillis(1001));
        rig.cycle();
        assertThat(rig.published).hasSize(3);
    }

    @Test
    void no_sequence_of_cars_faults_and_requests_ever_closes_the_contactor() {
        EvProfile[] cars = {EvProfile.standard(),
                new EvProfile("instant", 32_000, 3, 40_000, 10, 100, true, false, 0),
                new EvProfile("ventilated", 16_000, 1, 10_000, 20, 100, true, true, 200),
                new EvProfile("no-diode", 16_000, 3, 10_000, 20, 100, false, false, 100)};
        CableRating[] cables = {CableRating.A13, CableRating.A20, CableRating.A32, CableRating.A63};
        Random random = new Random(61851);
        Rig rig = new Rig();
        List<Reply> refusals = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            switch (random.nextInt(12)) {
                case 0 -> {
                    if (rig.board.evProfile() == null) {
                        rig.board.plugIn(cars[random.nextInt(cars.length)], cables[random.nextInt(cables.length)]);
                    } else {
                        rig.board.unplug();
                    }
                }
                case 1 -> {
                    if (rig.board.evProfile() != null) {
                        rig.board.evPause(random.nextBoolean());
                    }
                }
                case 2 -> {
                    SimFault f = SimFault.values()[random.nextInt(SimFault.values().length)];
                    if (random.nextBoolean()) {
                        rig.board.inject(f);
                    } else {
                        rig.board.clear(f);
                    }
                }
                case 3 -> refusals.add(rig.hold.authorize("tag" + random.nextInt(100)));
                case 4 -> refusals.add(rig.hold.setLimit(new LimitRequest("c" + random.nextInt(20), random.nextInt(101),
                        random.nextInt(LimitRequest.MAX_MILLIAMPS + 1), Duration.ofSeconds(1 + random.nextInt(3600)))));
                case 5 -> refusals.add(rig.hold.clearLimit("c" + random.nextInt(20)));
                case 6 -> rig.hold.stop(StopReason.values()[random.nextInt(StopReason.values().length)]);
                case 7 -> rig.hold.resetFaults();
                case 8 -> rig.hold.linkClosed();
                case 9 -> rig.wall.advance(Duration.ofMillis(random.nextInt(5000)));
                default -> rig.hold.linkHeartbeat();
            }
            rig.board.step(Duration.ofMillis(1 + random.nextInt(200)));
            rig.cycle();
        }
        assertThat(refusals).isNotEmpty().allSatisfy(r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        });
        assertThat(rig.closings()).isEmpty();
        assertThat(rig.board.importedWattHoursExact()).isZero();
        assertThat(rig.published).allSatisfy(s -> {
            assertThat(s.contactorCommanded()).isFalse();
            assertThat(s.authorized()).isFalse();
            assertThat(s.limitMilliamps()).isZero();
        });
    }

    @Test
    void close_leaves_the_contactor_open_the_pilot_at_minus_12_v_and_the_watchdog_disarmed() {
        Rig rig = new Rig();
        rig.run(Duration.ofMillis(50));
        rig.hold.close();
        assertThat(rig.board.contactor().commandedClosed()).isFalse();
        assertThat(rig.board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_LOW);
        assertThat(rig.board.watchdogArmed()).isFalse();
        assertThat(rig.board.indicator().showing()).isEqualTo(IndicatorState.OFF);
    }
}
