package org.voltkeep.hal.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.json.Json;

class ScenarioRecorderTest {
    private final SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
    private final ScenarioRecorder rec = new ScenarioRecorder(board);

    private void charge() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(32)));
        board.step(Duration.ofMillis(500));
        board.contactor().command(true);
        board.step(Duration.ofMillis(20));
    }

    private ChargerStatus status(ChargerState state, Set<Fault> faults, LinkState link) {
        return new ChargerStatus(board.clock().millis(), state, 1000, false, false, true, "demo", 1, 0, 0, 0, 0, 0,
                32_000, LimitSource.HARDWARE, 32_000, 250, faults, link, FallbackMode.SAFE_CURRENT, false, true);
    }

    @Test
    void measuresTheReactionToAnInjectedFault() {
        rec.start();
        charge();
        board.step(Duration.ofSeconds(10));
        board.inject(SimFault.RCD_DC_6MA);
        board.step(Duration.ofMillis(7));
        board.contactor().command(false);
        board.inject(SimFault.CONTACTOR_WELDED);
        RunSummary s = rec.summary();
        assertThat(s.faultsInjected()).hasSize(2);
        FaultRecord rcd = s.faultsInjected().get(0);
        assertThat(rcd.fault()).isEqualTo(SimFault.RCD_DC_6MA);
        assertThat(rcd.atMillis()).isEqualTo(10_520);
        assertThat(rcd.contactorWasClosed()).isTrue();
        assertThat(rcd.contactorOpenCommandAfterMillis()).hasValue(7);
        assertThat(rcd.reactionMicros()).isPresent();
        FaultRecord weld = s.faultsInjected().get(1);
        assertThat(weld.contactorWasClosed()).isFalse();
        assertThat(weld.contactorOpenCommandAfterMillis()).isEmpty();
        assertThat(s.contactorClosures()).isEqualTo(1);
        assertThat(s.peakCurrentMilliamps()).isEqualTo(16_000);
        // 16 A x 3 x 230 V for 10.007 s.
        assertThat(s.energyWh()).isEqualTo(Math.round(11_040 * 10.007 / 3600));

        Expectations fast = new Expectations(java.util.Optional.empty(), java.util.Optional.empty(), java.util.OptionalLong.empty(),
                java.util.OptionalLong.empty(), java.util.OptionalLong.of(5), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.OptionalInt.empty(), java.util.Optional.empty());
        assertThat(ScenarioRecorder.check(fast, s).failures()).singleElement().asString()
                .contains("RCD_DC_6MA").contains("after 7 ms, more than 5 ms");
    }

    @Test
    void tracksWhatSafetyReported() {
        rec.start();
        rec.onStatus(status(ChargerState.B1, Set.of(), LinkState.UP));
        rec.onStatus(status(ChargerState.F, EnumSet.of(Fault.CP_SHORT), LinkState.UP));
        rec.onStatus(status(ChargerState.A, Set.of(), LinkState.SILENT_FALLBACK));
        RunSummary s = rec.summary();
        assertThat(s.finalState()).contains(ChargerState.A);
        assertThat(s.faultsSeen()).containsExactly(Fault.CP_SHORT);
        assertThat(s.linkFallbackSeen()).isTrue();
        assertThat(s.statusCount()).isEqualTo(3);
    }

    @Test
    void checksEveryExpectationAndSaysWhatDiffered() {
        rec.start();
        charge();
        board.step(Duration.ofSeconds(60));
        rec.onStatus(status(ChargerState.C2, EnumSet.of(Fault.RCD_TRIP), LinkState.UP));
        Scenario s = ScenarioParser.parse("""
                {"name": "t", "timeline": [], "expect": {"finalState": "A", "faults": [], "minEnergyWh": 1000,
                  "maxEnergyWh": 100, "contactorOpenAtEnd": true, "linkFallbackSeen": true}}""".replace("\"maxEnergyWh\": 100, ", ""));
        Verdict v = rec.check(s.expect());
        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).containsExactly(
                "finalState: expected A, safety ended in C2",
                "faults: expected none, safety reported [RCD_TRIP]",
                "minEnergyWh: expected at least 1000 Wh, delivered 184 Wh",
                "contactorOpenAtEnd: expected true, the contactor is not open",
                "linkFallbackSeen: expected true, safety never reported the link silent");
        Json.Obj json = v.toJson();
        assertThat(json.bool("passed")).isFalse();
        assertThat(json.arr("failures").size()).isEqualTo(5);
    }

    @Test
    void passesWhenEverythingMatches() {
        rec.start();
        charge();
        board.step(Duration.ofSeconds(60));
        board.unplug();
        board.contactor().command(false);
        board.step(Duration.ofMillis(20));
        rec.onStatus(status(ChargerState.A, Set.of(), LinkState.UP));
        Scenario s = ScenarioParser.parse("""
                {"name": "t", "timeline": [], "expect": {"finalState": "A", "faults": [], "minEnergyWh": 150,
                  "maxEnergyWh": 200, "contactorOpenAtEnd": true, "maxReactionMillis": 100}}""");
        assertThat(rec.check(s.expect()).failures()).isEmpty();
        Json.Obj json = rec.summary().toJson();
        assertThat(json.integer("energyWh")).isEqualTo(184);
        assertThat(json.integer("contactorClosures")).isEqualTo(1);
        assertThat(json.bool("watchdogExpired")).isFalse();
        assertThat(json.arr("faultsInjected").size()).isZero();
    }

    private ChargerStatus fallbackStatus(LinkState link) {
        return new ChargerStatus(board.clock().millis(), ChargerState.C2, board.controlPilot().duty().permille(), true, true,
                true, "demo", 1, 0, 0, 0, board.meter().read().maxPhaseCurrent().milliamps(), 0, 6000,
                LimitSource.LINK_FALLBACK, 32_000, 250, Set.of(), link, FallbackMode.SAFE_CURRENT, false, true);
    }

    @Test
    void fallbackCurrentCountsAfterTheGraceWhileThePilotOffersWhatSafetyReported() {
        rec.start();
        charge();
        board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(6)));
        rec.onStatus(fallbackStatus(LinkState.SILENT_FALLBACK));
        board.step(Duration.ofMillis(100));
        rec.onTick();
        assertThat(rec.summary().maxFallbackMilliamps()).as("still within the grace").hasValue(0);
        board.step(ScenarioRecorder.FALLBACK_GRACE);
        rec.onTick();
        assertThat(rec.summary().maxFallbackMilliamps()).hasValue(6_000);
        Scenario s = ScenarioParser.parse("""
                {"name": "t", "timeline": [], "expect": {"maxCurrentAmpsDuringFallback": 6, "linkFallbackSeen": true}}""");
        assertThat(rec.check(s.expect()).passed()).isTrue();
        // The link comes back: safety raises the offer before its UP status arrives; that current does not count.
        board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(32)));
        board.step(Duration.ofSeconds(1));
        rec.onTick();
        rec.onStatus(fallbackStatus(LinkState.UP));
        board.step(Duration.ofSeconds(10));
        rec.onTick();
        assertThat(rec.summary().maxFallbackMilliamps()).hasValue(6_000);
    }

    @Test
    void aControllerThatKeepsTheCurrentInFallbackFails() {
        rec.start();
        charge();
        rec.onStatus(fallbackStatus(LinkState.SILENT_FALLBACK));
        // No further status: safety never lowered the offer.
        board.step(Duration.ofSeconds(30));
        rec.onTick();
        Scenario s = ScenarioParser.parse("""
                {"name": "t", "timeline": [], "expect": {"maxCurrentAmpsDuringFallback": 6}}""");
        assertThat(rec.check(s.expect()).failures()).containsExactly(
                "maxCurrentAmpsDuringFallback: expected at most 6 A, measured 16000 mA in fallback");
    }
}
