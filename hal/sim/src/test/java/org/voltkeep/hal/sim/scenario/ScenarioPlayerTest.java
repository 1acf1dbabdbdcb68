package org.voltkeep.hal.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimulatedBoard;

class ScenarioPlayerTest {
    private final SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
    private final List<SimEvent> events = new ArrayList<>();
    private final List<String> cues = new ArrayList<>();
    private long finishedAt = -1;
    private final CueListener listener = new CueListener() {
        @Override
        public void onCue(ScenarioPlayer p, Scenario.Entry e, long boardMillis) {
            cues.add(e.action().verb() + "@" + boardMillis);
        }

        @Override
        public void onFinished(ScenarioPlayer p, long boardMillis) {
            finishedAt = boardMillis;
        }
    };

    ScenarioPlayerTest() {
        board.addSimListener(events::add);
    }

    /** Steps the board the way the runner does: never past the player's next due time. */
    private void drive(ScenarioPlayer player, long untilMillis) {
        while (board.clock().millis() < untilMillis && !player.finished() && !player.holdsTime()) {
            long now = board.clock().millis();
            long step = Math.min(100, untilMillis - now);
            long due = player.nextDueMillis();
            if (due != Long.MAX_VALUE) {
                step = Math.min(step, Math.max(0, due - now));
            }
            if (step > 0) {
                board.step(Duration.ofMillis(step));
            }
            player.onTick();
        }
    }

    private long timeOf(SimEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).findFirst().orElseThrow(() -> new AssertionError("no " + kind))
                .boardMillis();
    }

    @Test
    void firesAtEntriesAtTheirBoardTimeAfterStart() {
        board.step(Duration.ofMillis(777));
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "timeline": [{"at": 1.25, "do": "plug"}, {"at": 4, "do": "fault", "fault": "CP_SHORT"},
                  {"at": 4, "do": "unplug"}]}"""), board, listener);
        p.start();
        drive(p, 20_000);
        assertThat(timeOf(SimEvent.Kind.PLUGGED)).isEqualTo(777 + 1250);
        assertThat(timeOf(SimEvent.Kind.FAULT_INJECTED)).isEqualTo(777 + 4000);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(777 + 4000);
        assertThat(board.activeFaults()).containsExactly(SimFault.CP_SHORT);
        assertThat(p.fired()).isEqualTo(3);
        // Ends settle (5 s) after the last entry.
        assertThat(p.finished()).isTrue();
        assertThat(finishedAt).isEqualTo(777 + 4000 + 5000);
        assertThat(board.clock().millis()).isEqualTo(finishedAt);
    }

    @Test
    void firesWhenEntriesADelayAfterTheCondition() {
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "timeline": [{"at": 1, "do": "plug"},
                  {"when": "charging-started", "delay": 2.5, "do": "ev-pause"},
                  {"when": "contactor-open", "delay": 1, "do": "unplug"}]}"""), board, listener);
        p.start();
        drive(p, 3000);
        assertThat(board.ev().paused()).isFalse();
        // A controller closes the contactor at 3 s; its feedback reads closed at 3.02 s.
        board.contactor().command(true);
        drive(p, 10_000);
        assertThat(timeOf(SimEvent.Kind.EV_PAUSED)).isEqualTo(3020 + 2500);
        assertThat(board.ev().plugged()).isTrue();
        board.contactor().command(false);
        drive(p, 20_000);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(10_000 + 20 + 1000);
    }

    @Test
    void aWhenEntryIsArmedOnlyOnceTheEntryBeforeItFired() {
        // The contactor is closed at the start, but the "when" waits for the "at 5" entry.
        board.contactor().command(true);
        board.step(Duration.ofMillis(20));
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "timeline": [{"at": 5, "do": "plug"},
                  {"when": "charging-started", "delay": 1, "do": "unplug"}]}"""), board, listener);
        p.start();
        drive(p, 60_000);
        assertThat(timeOf(SimEvent.Kind.PLUGGED)).isEqualTo(20 + 5000);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(20 + 6000);
    }

    @Test
    void aCueHoldsTimeUntilResumed() {
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "timeline": [{"at": 1, "do": "plug"}, {"at": 2, "do": "authorize", "idTag": "tag-7"},
                  {"at": 2, "do": "limit", "claimId": "grid", "amps": 10, "ttlSeconds": 30}, {"at": 3, "do": "unplug"}]}"""),
                board, listener);
        p.start();
        drive(p, 60_000);
        assertThat(p.holdsTime()).isTrue();
        assertThat(cues).containsExactly("authorize@2000");
        assertThat(p.pendingCue().orElseThrow().toJson().string("idTag")).isEqualTo("tag-7");
        assertThat(p.nextDueMillis()).isEqualTo(Long.MAX_VALUE);
        // While held, ticks do nothing.
        p.onTick();
        assertThat(cues).hasSize(1);
        p.resume();
        assertThat(p.holdsTime()).isFalse();
        drive(p, 60_000);
        assertThat(cues).containsExactly("authorize@2000", "limit@2000");
        p.resume();
        drive(p, 60_000);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(3000);
        assertThat(p.finished()).isTrue();
    }

    @Test
    void endsAtEndAfterSecondsWhenAConditionNeverComes() {
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "endAfterSeconds": 30, "timeline": [{"at": 1, "do": "plug"},
                  {"when": "ev-full", "do": "unplug"}]}"""), board, listener);
        p.start();
        drive(p, 120_000);
        assertThat(p.finished()).isTrue();
        assertThat(finishedAt).isEqualTo(30_000);
        assertThat(p.fired()).isEqualTo(1);
        assertThat(board.ev().plugged()).isTrue();
    }

    @Test
    void playsTheDefaultScenarioAgainstASimpleController() {
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse(ScenarioFiles.read("default.json")), board,
                new CueListener() {
                    @Override
                    public void onCue(ScenarioPlayer player, Scenario.Entry e, long boardMillis) {
                        cues.add(e.action().verb());
                        board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(32)));
                        player.resume();
                    }

                    @Override
                    public void onFinished(ScenarioPlayer player, long boardMillis) {
                        finishedAt = boardMillis;
                    }
                });
        // The controller closes the contactor while the car is ready and opens it otherwise.
        board.onInputChange(() -> board.contactor().command(board.controlPilot().measuredState().vehicleReady()));
        ScenarioRecorder rec = new ScenarioRecorder(board);
        rec.start();
        p.start();
        drive(p, 3_600_000);
        assertThat(cues).containsExactly("authorize");
        long full = timeOf(SimEvent.Kind.EV_FULL);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(full + 10_000);
        assertThat(finishedAt).isEqualTo(full + 15_000);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.A);
        RunSummary s = rec.summary();
        // 20 % of 2000 Wh.
        assertThat(s.energyWh()).isBetween(399L, 401L);
        assertThat(s.contactorClosures()).isEqualTo(1);
        assertThat(s.peakCurrentMilliamps()).isEqualTo(16_000);
        assertThat(s.durationMillis()).isEqualTo(finishedAt);
        // Under 15 simulated minutes.
        assertThat(finishedAt).isLessThan(15 * 60_000);
    }

    @Test
    void aPhysicalActionThatCannotApplyIsReportedAndPlayGoesOn() {
        List<String> problems = new ArrayList<>();
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "timeline": [{"at": 1, "do": "plug"}, {"at": 2, "do": "plug"}, {"at": 3, "do": "unplug"}]}"""),
                board, new CueListener() {
                    @Override
                    public void onCue(ScenarioPlayer player, Scenario.Entry e, long boardMillis) {
                    }

                    @Override
                    public void onProblem(ScenarioPlayer player, Scenario.Entry e, String problem) {
                        problems.add(problem);
                    }
                });
        p.start();
        drive(p, 60_000);
        assertThat(problems).singleElement().asString().contains("entry 1 (plug)").contains("already plugged");
        assertThat(p.problems()).isEqualTo(problems);
        assertThat(timeOf(SimEvent.Kind.UNPLUGGED)).isEqualTo(3000);
    }

    @Test
    void startAppliesTheAmbientTemperatureAndCloseDetaches() {
        ScenarioPlayer p = new ScenarioPlayer(ScenarioParser.parse("""
                {"name": "t", "ambientCelsius": 35, "timeline": [{"at": 1, "do": "plug"}]}"""), board, listener);
        p.start();
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(35.0);
        p.close();
        drive(p, 10_000);
        assertThat(board.ev().plugged()).isFalse();
        assertThat(p.finished()).isTrue();
    }
}
