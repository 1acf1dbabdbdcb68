package org.voltkeep.sim.control.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;
import org.voltkeep.hal.sim.scenario.Action;
import org.voltkeep.hal.sim.scenario.CueListener;
import org.voltkeep.hal.sim.scenario.Scenario;
import org.voltkeep.hal.sim.scenario.ScenarioPlayer;
import org.voltkeep.hal.sim.scenario.ScenarioRecorder;
import org.voltkeep.json.Json;
import org.voltkeep.safety.api.ChargeController;

/**
 * One scenario being played through the control socket: its player, its recorder,
 * and, with {@code "cues":"local"}, the simulator carrying out the cues itself on
 * the safety controller instead of handing them to the client.
 */
final class Play implements CueListener {
    /** How long a local link cue waits (wall time) for safety to report the link change. */
    static final Duration LINK_CUE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Play.class);

    private final ControlServer server;
    private final Scenario scenario;
    private final Connection owner;
    private final double speed;
    private final boolean localCues;
    private final SimulatedBoard board;
    private final SimulationRunner runner;
    private final ScenarioPlayer player;
    private final ScenarioRecorder recorder;
    private final ExecutorService cueExecutor;
    private volatile boolean ended;
    private volatile Json.Obj endSummary;

    Play(ControlServer server, Scenario scenario, Connection owner, double speed, boolean localCues) {
        this.server = server;
        this.scenario = scenario;
        this.owner = owner;
        this.speed = speed;
        this.localCues = localCues;
        this.board = server.board();
        this.runner = server.runner();
        this.player = new ScenarioPlayer(scenario, board, this);
        this.recorder = new ScenarioRecorder(board);
        this.cueExecutor = localCues ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "voltkeep-sim-control-cues");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    Scenario scenario() {
        return scenario;
    }

    Connection owner() {
        return owner;
    }

    boolean ended() {
        return ended;
    }

    /** Sets the play's speed; called before the client gets its answer, so the answer reflects it. */
    void applySpeed() {
        runner.setSpeed(speed);
    }

    /** Puts the board in a known physical state (no vehicle, no simulated fault) and starts playing. */
    void start() {
        board.unplug();
        for (SimFault f : board.activeFaults()) {
            board.clear(f);
        }
        if (localCues) {
            server.link().beat(true);
        }
        recorder.start();
        runner.addTickListener(recorder);
        runner.addTickListener(player);
        player.start();
        LOG.info("playing scenario '{}' at {}x for client {}{}", scenario.name(), speed, owner.id(),
                localCues ? " (cues carried out by the simulator)" : "");
    }

    /** A client carried out the waiting cue. False when no cue waits or cues are local. */
    boolean resumeCue() {
        if (localCues || player.pendingCue().isEmpty()) {
            return false;
        }
        player.resume();
        return true;
    }

    void onStatus(ChargerStatus s) {
        recorder.onStatus(s);
    }

    @Override
    public void onCue(ScenarioPlayer p, Scenario.Entry entry, long boardMillis) {
        server.broadcast(Json.object().put("event", "cue").put("t", boardMillis).put("index", entry.index())
                .put("action", entry.toJson()));
        if (localCues) {
            cueExecutor.execute(() -> carryOut(entry));
        }
    }

    @Override
    public void onProblem(ScenarioPlayer p, Scenario.Entry entry, String problem) {
        server.broadcast(Json.object().put("event", "problem").put("t", board.clock().millis())
                .put("index", entry.index()).put("detail", problem));
    }

    @Override
    public void onFinished(ScenarioPlayer p, long boardMillis) {
        Json.Obj summary = summaryJson();
        endSummary = summary;
        ended = true;
        cleanUp();
        server.playEnded(this);
        server.broadcast(Json.object().put("event", "end").put("t", boardMillis).put("summary", summary));
        LOG.info("scenario '{}' ended at {} ms: {}", scenario.name(), boardMillis,
                summary.obj("expectations").bool("passed") ? "expectations met" : "expectations NOT met");
    }

    /** The run's measurements, its expectations' verdict and any actions that could not be applied. */
    Json.Obj summaryJson() {
        Json.Obj done = endSummary;
        if (done != null) {
            return done;
        }
        Json.Obj s = recorder.summary().toJson();
        s.put("scenario", scenario.name());
        s.put("expectations", ScenarioRecorder.check(scenario.expect(), recorder.summary()).toJson());
        Json.Arr problems = Json.array();
        player.problems().forEach(problems::add);
        s.put("problems", problems);
        return s;
    }

    void close() {
        ended = true;
        cleanUp();
    }

    private void cleanUp() {
        runner.removeTickListener(player);
        runner.removeTickListener(recorder);
        player.close();
        recorder.close();
        if (localCues) {
            server.link().beat(false);
            cueExecutor.shutdown();
        }
    }

    // ------------------------------------------------------------------ local cues

    private void carryOut(Scenario.Entry entry) {
        ChargeController c = server.controller();
        String result;
        try {
            result = c == null ? "no safety controller is running" : apply(c, entry.action());
        } catch (RuntimeException e) {
            LOG.warn("local cue {} failed", entry.action().verb(), e);
            result = "failed: " + e;
        }
        server.broadcast(Json.object().put("event", "cue-done").put("t", board.clock().millis())
                .put("index", entry.index()).put("result", result));
        if (!ended) {
            player.resume();
        }
    }

    private String apply(ChargeController c, Action action) {
        if (action instanceof Action.Authorize a) {
            return reply(c.authorize(a.idTag()));
        } else if (action instanceof Action.Stop s) {
            return reply(c.stop(s.reason()));
        } else if (action instanceof Action.Limit l) {
            return reply(c.setLimit(l.request()));
        } else if (action instanceof Action.ClearLimit l) {
            return reply(c.clearLimit(l.claimId()));
        } else if (action instanceof Action.ResetFaults) {
            return reply(c.resetFaults());
        } else if (action instanceof Action.KillApp) {
            server.link().closeLink();
            return awaitLink(c, s -> s.link() == LinkState.SILENT_FALLBACK, "silent");
        } else if (action instanceof Action.SilenceLink) {
            server.link().beat(false);
            return awaitLink(c, s -> s.link() == LinkState.SILENT_FALLBACK, "silent");
        } else if (action instanceof Action.RestoreLink || action instanceof Action.AwaitApp) {
            // locally the stand-in application domain is "restarted" by beating again
            server.link().beat(true);
            return awaitLink(c, s -> s.link() == LinkState.UP, "up");
        }
        return "not a cue: " + action.verb();
    }

    private static String reply(Reply r) {
        return r.accepted() ? "accepted" : "refused " + r.code() + ": " + r.detail();
    }

    /**
     * Board time stands still during a cue, while the link timeout runs on wall
     * time: waiting here for safety to report the change makes the scenario read the
     * same at any speed.
     */
    private static String awaitLink(ChargeController c, Predicate<ChargerStatus> done, String what) {
        long deadline = System.nanoTime() + LINK_CUE_TIMEOUT.toNanos();
        while (!done.test(c.status())) {
            if (System.nanoTime() > deadline) {
                return "safety did not report the link " + what + " within " + LINK_CUE_TIMEOUT.toSeconds() + " s";
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "link " + what;
    }
}
