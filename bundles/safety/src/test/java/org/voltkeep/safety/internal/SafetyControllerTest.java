package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

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
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;

/** The controller around the pure logic: link liveness, requests, status publication, failures. */
class SafetyControllerTest {
    private static final SafetyConfig CFG = SafetyConfig.defaults();
    private static final Duration LINK_TIMEOUT = Duration.ofMillis(CFG.linkTimeoutMillis());

    private static LimitRequest limit(String claim, int priority, int milliamps) {
        return new LimitRequest(claim, priority, milliamps, Duration.ofMinutes(10));
    }

    @Test
    void the_link_timer_runs_from_start_even_without_any_heartbeat() {
        SimRig rig = new SimRig(CFG);
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
        rig.wall.advance(LINK_TIMEOUT.minusMillis(1));
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
        rig.wall.advance(Duration.ofMillis(1));
        assertThat(rig.cycle().link()).isEqualTo(LinkState.SILENT_FALLBACK);
    }

    @Test
    void a_closed_connection_applies_the_fallback_at_once_and_a_heartbeat_ends_it() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.ctl.linkHeartbeat();
        assertThat(rig.ctl.setLimit(limit("solar", 10, 12_000)).accepted()).isTrue();
        assertThat(rig.cycle().limitMilliamps()).isEqualTo(12_000);

        rig.ctl.linkClosed();
        ChargerStatus gone = rig.cycle();
        assertThat(gone.link()).as("no waiting for the timer when the peer is gone").isEqualTo(LinkState.SILENT_FALLBACK);
        assertThat(gone.limitMilliamps()).isEqualTo(CFG.fallbackCurrent().milliamps());
        assertThat(rig.ctl.claims()).isEmpty();
        assertThat(gone.charging()).isTrue();

        rig.ctl.linkHeartbeat();
        assertThat(rig.cycle().link()).isEqualTo(LinkState.UP);
    }

    @Test
    void silence_drops_every_request_and_caps_at_the_safe_current_until_a_heartbeat() {
        SimRig rig = new SimRig(CFG);
        rig.charging(EvProfile.standard());
        rig.ctl.linkHeartbeat();
        assertThat(rig.ctl.setLimit(limit("solar", 10, 12_000)).accepted()).isTrue();
        assertThat(rig.cycle().limitMilliamps()).isEqualTo(12_000);

        rig.wall.advance(LINK_TIMEOUT);
        ChargerStatus silent = rig.cycle();
        assertThat(silent.link()).isEqualTo(LinkState.SILENT_FALLBACK);
        assertThat(silent.limitSource()).isEqualTo(LimitSource.LINK_FALLBACK);
        assertThat(silent.limitMilliamps()).isEqualTo(CFG.fallbackCurrent().milliamps());
        assertThat(silent.pwmPermille()).isEqualTo(PwmDuty.forCurrent(CFG.fallbackCurrent()).permille());
        assertThat(rig.ctl.claims()).isEmpty();
        assertThat(silent.charging()).as("the running session finishes at the safe current").isTrue();

        Reply whileSilent = rig.ctl.setLimit(limit("solar", 10, 12_000));
        assertThat(whileSilent.accepted()).isFalse();
        assertThat(whileSilent.code()).isEqualTo(ErrorCode.NOT_ALLOWED);

        rig.ctl.linkClosed();
        rig.wall.advance(Duration.ofSeconds(10));
        assertThat(rig.cycle().link()).isEqualTo(LinkState.SILENT_FALLBACK);

        rig.ctl.linkHeartbeat();
        ChargerStatus back = rig.cycle();
        assertThat(back.link()).isEqualTo(LinkState.UP);
        assertThat(back.limitSource()).as("the old request is not restored").isNotEqualTo(LimitSource.REQUEST);
        assertThat(back.limitMilliamps()).isEqualTo(32_000);
        assertThat(rig.ctl.setLimit(limit("solar", 10, 12_000)).accepted()).isTrue();
        assertThat(rig.cycle().limitMilliamps()).isEqualTo(12_000);
    }

    @Test
    void silence_with_the_stop_fallback_stops_the_session() {
        SimRig rig = new SimRig(CFG.toBuilder().fallback(FallbackMode.STOP).build());
        rig.charging(EvProfile.standard());
        rig.wall.advance(LINK_TIMEOUT);
        ChargerStatus s = rig.cycle();
        assertThat(s.stopRequested()).isTrue();
        assertThat(s.fallback()).isEqualTo(FallbackMode.STOP);
        assertThat(s.pwmPermille()).isEqualTo(PwmDuty.STATIC_HIGH.permille());
        rig.runUntil(st -> !st.contactorCommanded(), CFG.stopOpenTimeoutMillis());
        rig.ctl.linkHeartbeat();
        rig.run(1_000);
        assertThat(rig.status().state()).as("stays stopped until authorized again").isEqualTo(ChargerState.B1);
        assertThat(rig.ctl.authorize("again").accepted()).isTrue();
        rig.runUntil(ChargerStatus::charging, 2_000);
        rig.board.unplug();
        rig.cycle();
    }

    @Test
    void the_longest_id_tag_the_link_can_carry_is_accepted() {
        SimRig rig = new SimRig(CFG);
        rig.cycle();
        assertThat(rig.ctl.authorize("x".repeat(36)).accepted()).isTrue();
    }

    @Test
    void requests_are_validated_synchronously() {
        SimRig rig = new SimRig(CFG);
        rig.cycle();
        assertThat(rig.ctl.authorize("").code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.authorize(null).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.authorize("x".repeat(37)).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.authorize("caf\u00e9").code()).as("ASCII only, as the link carries it").isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.authorize("bad\ntag").code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.stop(StopReason.REMOTE).code()).isEqualTo(ErrorCode.NO_VEHICLE);
        assertThat(rig.ctl.stop(null).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.setLimit(null).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.clearLimit("no spaces allowed").code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(rig.ctl.clearLimit("unknown").accepted()).isTrue();
        assertThat(rig.ctl.resetFaults().accepted()).isTrue();

        // an authorization waiting for the next cycle can be stopped again
        assertThat(rig.ctl.authorize("early").accepted()).isTrue();
        assertThat(rig.ctl.stop(StopReason.LOCAL).accepted()).isTrue();
        rig.cycle();
        assertThat(rig.status().authorized()).isFalse();
        assertThat(rig.status().idTag()).as("a withdrawn pre-authorization leaves no tag").isEmpty();
    }

    @Test
    void the_status_carries_the_id_tag_in_force_until_unplug_clears_it() {
        SimRig rig = new SimRig(CFG);
        assertThat(rig.cycle().idTag()).isEmpty();
        rig.ctl.authorize("RFID-0001");
        ChargerStatus pre = rig.cycle();
        assertThat(pre.authorized()).isTrue();
        assertThat(pre.idTag()).as("a pre-authorization shows its tag before plug-in").isEqualTo("RFID-0001");

        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.runUntil(ChargerStatus::charging, 10_000);
        assertThat(rig.status().sessionId()).isNotZero();
        assertThat(rig.status().idTag()).isEqualTo("RFID-0001");

        rig.ctl.authorize("RFID-0002");
        assertThat(rig.cycle().idTag()).as("the latest authorization is the one in force").isEqualTo("RFID-0002");
        assertThat(rig.published.get(rig.published.size() - 1).idTag())
                .as("a new tag is a change worth publishing").isEqualTo("RFID-0002");

        rig.board.unplug();
        ChargerStatus gone = rig.cycle();
        assertThat(gone.sessionId()).isZero();
        assertThat(gone.authorized()).isFalse();
        assertThat(gone.idTag()).isEmpty();
    }

    @Test
    void a_full_limit_table_refuses_a_request_that_does_not_outrank_the_lowest() {
        SimRig rig = new SimRig(CFG);
        rig.cycle();
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        for (int i = 0; i < LimitArbiter.MAX_LIVE_REQUESTS; i++) {
            assertThat(rig.ctl.setLimit(limit("c" + i, 40, 20_000)).accepted()).isTrue();
        }
        Reply refused = rig.ctl.setLimit(limit("late", 40, 8_000));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(rig.ctl.setLimit(limit("c3", 40, 9_000)).accepted()).as("replacing is always possible").isTrue();
        assertThat(rig.ctl.setLimit(limit("safety-net", 90, 7_000)).accepted()).isTrue();
        assertThat(rig.ctl.claims()).hasSize(LimitArbiter.MAX_LIVE_REQUESTS)
                .anyMatch(c -> c.claimId().equals("safety-net"));
        ChargerStatus s = rig.cycle();
        assertThat(s.limitMilliamps()).isEqualTo(7_000);
    }

    @Test
    void limit_requests_expire_in_board_time() {
        SimRig rig = new SimRig(CFG);
        rig.cycle();
        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.ctl.setLimit(new LimitRequest("short", 10, 8_000, Duration.ofSeconds(2)));
        assertThat(rig.cycle().limitMilliamps()).isEqualTo(8_000);
        rig.run(1_990);
        assertThat(rig.status().limitMilliamps()).isEqualTo(8_000);
        rig.run(10);
        assertThat(rig.status().limitMilliamps()).isEqualTo(32_000);
        assertThat(rig.ctl.claims()).isEmpty();
    }

    @Test
    void status_is_published_on_change_and_at_least_every_second() {
        SimRig rig = new SimRig(CFG);
        rig.cycle();
        int afterFirst = rig.published.size();
        assertThat(afterFirst).isEqualTo(1);
        rig.run(500);
        assertThat(rig.published).as("nothing changed, no wall time passed").hasSize(afterFirst);
        rig.wall.advance(Duration.ofMillis(999));
        rig.cycle();
        assertThat(rig.published).hasSize(afterFirst);
        rig.wall.advance(Duration.ofMillis(1));
        rig.cycle();
        assertThat(rig.published).hasSize(afterFirst + 1);

        rig.board.plugIn(EvProfile.standard(), CableRating.A32);
        ChargerStatus plugged = rig.cycle();
        assertThat(rig.published).hasSize(afterFirst + 2);
        assertThat(rig.published.get(rig.published.size() - 1)).isEqualTo(plugged);

        List<ChargerStatus> second = new java.util.ArrayList<>();
        rig.ctl.addStatusListener(st -> {
            throw new IllegalStateException("a broken listener");
        });
        rig.ctl.addStatusListener(second::add);
        rig.ctl.authorize("t");
        rig.cycle();
        assertThat(second).as("a failing listener does not stop the others").hasSize(1);
    }

    @Test
    void a_failing_cycle_forces_the_outputs_safe_and_does_not_pet_the_watchdog() {
        SimClock clock = new SimClock();
        SimulatedBoard sim = new SimulatedBoard(clock, Current.ofAmps(32));
        FlakyBoard board = new FlakyBoard(sim);
        SafetyController ctl = new SafetyController(board, CFG, new ManualLinkClock());
        ctl.cycleOnce();
        sim.plugIn(EvProfile.standard(), CableRating.A32);
        ctl.authorize("t");
        for (int i = 0; i < 100 && !sim.contactor().feedbackClosed(); i++) {
            sim.step(Duration.ofMillis(10));
            ctl.cycleOnce();
        }
        assertThat(sim.contactor().feedbackClosed()).isTrue();
        long pets = sim.watchdogPets();

        board.meterFails = true;
        assertThatThrownBy(ctl::cycleOnce).hasMessageContaining("meter");
        assertThat(sim.contactor().commandedClosed()).isFalse();
        assertThat(sim.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_LOW);
        assertThat(sim.watchdogPets()).isEqualTo(pets);

        board.meterFails = false;
        ctl.cycleOnce();
        assertThat(sim.watchdogPets()).isEqualTo(pets + 1);
    }

    @Test
    void a_board_that_does_not_answer_at_start_fails_the_self_test() {
        SimClock clock = new SimClock();
        FlakyBoard board = new FlakyBoard(new SimulatedBoard(clock, Current.ofAmps(32)));
        board.meterFails = true;
        SafetyController ctl = new SafetyController(board, CFG, new ManualLinkClock());
        assertThatThrownBy(ctl::cycleOnce).isInstanceOf(IllegalStateException.class);
        board.meterFails = false;
        ctl.cycleOnce();
        ChargerStatus s = ctl.status();
        assertThat(s.selfTestPassed()).isFalse();
        assertThat(s.activeFaults()).contains(Fault.SELF_TEST_FAILED);
    }

    @Test
    void session_ids_are_unique_across_restarts() {
        SimClock clock = new SimClock();
        SimulatedBoard board = new SimulatedBoard(clock, Current.ofAmps(32));
        SafetyController first = new SafetyController(board, CFG, new ManualLinkClock(1_700_000_000_000L));
        first.cycleOnce();
        board.plugIn(EvProfile.standard(), CableRating.A32);
        first.cycleOnce();
        long id1 = first.status().sessionId();
        first.close();

        SafetyController second = new SafetyController(board, CFG, new ManualLinkClock(1_700_000_000_001L));
        second.cycleOnce();
        assertThat(second.status().sessionId()).isNotZero().isNotEqualTo(id1);
    }
}
