package org.voltkeep.sim.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;
import org.voltkeep.json.Json;

class ControlServerTest {
    @TempDir
    Path dir;
    private Path socket;
    private SimulatedBoard board;
    private SimulationRunner runner;
    private ControlServer server;
    private final FakeController controller = new FakeController();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("run").resolve("sim.sock");
        board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        runner = new SimulationRunner(board, 1.0);
        runner.start();
        server = new ControlServer(socket, board, runner, 1.0);
        server.start();
        server.setController(controller);
    }

    @AfterEach
    void stop() {
        server.close();
        runner.close();
    }

    private static String scenario(String timeline, String extra) {
        return "{\"name\": \"t\", \"settleSeconds\": 1" + extra + ", \"timeline\": [" + timeline + "]}";
    }

    @Test
    void socketIsForOwnerAndGroupOnlyReplacesAStaleFileAndIsRemovedOnClose() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        server.close();
        assertThat(socket).doesNotExist();
        Files.writeString(socket, "left over from a crash");
        server = new ControlServer(socket, board, runner, 1.0);
        server.start();
        try (Client c = new Client(socket)) {
            assertThat(c.call("{\"cmd\": \"summary\"}").bool("ok")).isTrue();
        }
        assertThat(Files.list(socket.getParent()).map(p -> p.getFileName().toString())).containsExactly("sim.sock");
    }

    @Test
    void badLinesAreAnsweredAndTheConnectionStaysOpen() throws Exception {
        try (Client c = new Client(socket)) {
            List<String> errors = new ArrayList<>();
            for (String bad : List.of(
                    "hello",
                    "[1, 2]",
                    "{}",
                    "{\"cmd\": 7}",
                    "{\"cmd\": \"dance\"}",
                    "{\"cmd\": \"plug\", \"cable\": \"A40\"}",
                    "{\"cmd\": \"plug\", \"ev\": {\"phases\": 9}}",
                    "{\"cmd\": \"fault\", \"fault\": \"FIRE\"}",
                    "{\"cmd\": \"speed\", \"x\": 0}",
                    "{\"cmd\": \"resume\"}",
                    "{\"cmd\": \"unplug\", \"now\": true}",
                    "{\"cmd\": \"play\", \"scenario\": {\"name\": \"x\", \"timeline\": [{\"at\": -1, \"do\": \"plug\"}]}}")) {
                Json.Obj r = c.call(bad);
                assertThat(r.bool("ok")).as(bad).isFalse();
                errors.add(r.string("error"));
            }
            assertThat(errors).containsExactly(
                    "bad request: JSON line 1 column 1: unexpected character 'h'",
                    "bad request: expected a JSON object at the top level, found array",
                    "$.cmd: missing (one of play, resume, plug, unplug, fault, clear-fault, ev-pause, ev-resume, temperature, speed, summary, status, watch)",
                    "$.cmd: expected a string, found number",
                    "$.cmd: unknown command 'dance'",
                    "$.cable: 'A40' is not one of [NONE, A13, A20, A32, A63]",
                    "$.ev.phases: 9 is outside 1..3",
                    "$.fault: 'FIRE' is not one of " + Arrays.toString(SimFault.values()),
                    "simulation speed 0.0 is outside (0, 10000]",
                    "no cue is waiting to be resumed",
                    "$.now: unknown key (allowed: cmd)",
                    "$.scenario.timeline[0].at: -1 s is negative");

            byte[] huge = new byte[Connection.MAX_LINE_BYTES + 10];
            Arrays.fill(huge, (byte) 'x');
            huge[huge.length - 1] = '\n';
            c.sendRaw(huge);
            assertThat(c.read().string("error")).isEqualTo("line longer than 1048576 bytes");
            c.sendRaw(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
            assertThat(c.read().string("error")).isEqualTo("the line is not valid UTF-8");

            assertThat(c.call("{\"cmd\": \"summary\"}").bool("ok")).isTrue();
        }
    }

    @Test
    void physicalCommandsChangeTheBoard() throws Exception {
        try (Client c = new Client(socket)) {
            assertThat(c.call("{\"cmd\": \"plug\", \"cable\": \"A20\", \"ev\": {\"maxCurrentAmps\": 10, \"phases\": 1}}").bool("ok")).isTrue();
            assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.A20);
            assertThat(board.evProfile().maxCurrentMilliamps()).isEqualTo(10_000);
            Json.Obj again = c.call("{\"cmd\": \"plug\"}");
            assertThat(again.bool("ok")).isFalse();
            assertThat(again.string("error")).contains("already plugged in");
            assertThat(c.call("{\"cmd\": \"fault\", \"fault\": \"CP_SHORT\"}").bool("ok")).isTrue();
            assertThat(board.activeFaults()).containsExactly(SimFault.CP_SHORT);
            assertThat(c.call("{\"cmd\": \"clear-fault\", \"fault\": \"CP_SHORT\"}").bool("ok")).isTrue();
            assertThat(board.activeFaults()).isEmpty();
            assertThat(c.call("{\"cmd\": \"ev-pause\"}").bool("ok")).isTrue();
            assertThat(board.ev().paused()).isTrue();
            assertThat(c.call("{\"cmd\": \"temperature\", \"celsius\": 41.5}").bool("ok")).isTrue();
            assertThat(board.temperatureSensor().temperature().deciCelsius()).isEqualTo(415);
            assertThat(c.call("{\"cmd\": \"speed\", \"x\": 20}").number("speed")).isEqualTo(20.0);
            assertThat(runner.speed()).isEqualTo(20.0);
            Json.Obj status = c.call("{\"cmd\": \"status\"}");
            assertThat(status.obj("board").string("cable")).isEqualTo("A20");
            assertThat(status.obj("board").obj("ev").bool("paused")).isTrue();
            assertThat(status.obj("status").string("link")).isEqualTo("SILENT_FALLBACK");
            assertThat(c.call("{\"cmd\": \"unplug\"}").bool("ok")).isTrue();
            assertThat(board.ev().plugged()).isFalse();
        }
    }

    @Test
    void watchStreamsSafetyStatusAndSimEvents() throws Exception {
        try (Client c = new Client(socket)) {
            assertThat(c.call("{\"cmd\": \"watch\"}").bool("ok")).isTrue();
            ChargerStatus s = FakeController.status(1234, ChargerState.B1, LinkState.UP);
            controller.emit(s);
            Json.Obj state = c.until(Client.event("state"));
            assertThat(state.integer("t")).isEqualTo(1234);
            assertThat(StatusJson.read(state.obj("status"))).isEqualTo(s);
            board.inject(SimFault.RCD_DC_6MA);
            Json.Obj sim = c.until(Client.event("sim"));
            assertThat(sim.string("kind")).isEqualTo("FAULT_INJECTED");
            assertThat(sim.string("detail")).isEqualTo("RCD_DC_6MA");
            assertThat(sim.integer("t")).isBetween(0L, board.clock().millis());
        }
        // A connection that did not ask for events gets answers only.
        try (Client quiet = new Client(socket)) {
            controller.emit(FakeController.status(99, ChargerState.A, LinkState.UP));
            assertThat(quiet.call("{\"cmd\": \"summary\"}").has("event")).isFalse();
        }
    }

    @Test
    void playHandsOutCuesHoldsTimeUntilResumedAndEndsWithASummary() throws Exception {
        // A minimal safety stand-in: offers current once authorized, closes while the car is ready, opens on an RCD trip.
        boolean[] authorized = {false};
        board.onInputChange(() -> {
            boolean tripped = board.rcdMonitor().status().tripped();
            board.controlPilot().setDuty(authorized[0] && !tripped ? PwmDuty.forCurrent(Current.ofAmps(16)) : PwmDuty.STATIC_HIGH);
            board.contactor().command(authorized[0] && !tripped && board.controlPilot().measuredState().vehicleReady());
        });
        try (Client c = new Client(socket)) {
            Json.Obj ok = c.call("{\"cmd\": \"play\", \"speed\": 200, \"scenario\": " + scenario(
                    "{\"at\": 1, \"do\": \"plug\"}, {\"at\": 2, \"do\": \"authorize\", \"idTag\": \"card-9\"},"
                            + "{\"when\": \"charging-started\", \"delay\": 10, \"do\": \"fault\", \"fault\": \"RCD_AC_30MA\"},"
                            + "{\"when\": \"contactor-open\", \"delay\": 2, \"do\": \"unplug\"}",
                    ", \"expect\": {\"finalState\": \"A\", \"maxReactionMillis\": 100}") + "}");
            assertThat(ok.bool("ok")).isTrue();
            assertThat(ok.string("scenario")).isEqualTo("t");
            assertThat(runner.speed()).isEqualTo(200.0);

            long plugged = c.until(o -> "PLUGGED".equals(o.string("kind", ""))).integer("t");
            Json.Obj cue = c.until(Client.event("cue"));
            assertThat(cue.integer("t")).isEqualTo(plugged + 1000);
            assertThat(cue.integer("index")).isEqualTo(1);
            assertThat(cue.obj("action").string("do")).isEqualTo("authorize");
            assertThat(cue.obj("action").string("idTag")).isEqualTo("card-9");
            Thread.sleep(50);
            assertThat(board.clock().millis()).as("board time held by the cue").isEqualTo(cue.integer("t"));

            // The client carries out the cue, then resumes.
            authorized[0] = true;
            board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(16)));
            assertThat(c.call("{\"cmd\": \"resume\"}").bool("ok")).isTrue();
            controller.emit(FakeController.status(board.clock().millis(), ChargerState.A, LinkState.UP));

            Json.Obj end = c.until(Client.event("end"));
            Json.Obj summary = end.obj("summary");
            assertThat(summary.string("scenario")).isEqualTo("t");
            assertThat(summary.integer("contactorClosures")).isEqualTo(1);
            assertThat(summary.integer("peakCurrentMilliamps")).isEqualTo(PwmDuty.forCurrent(Current.ofAmps(16)).offeredCurrent().milliamps());
            assertThat(summary.integer("energyWh")).isBetween(25L, 35L);
            assertThat(summary.bool("watchdogExpired")).isFalse();
            Json.Obj fault = summary.arr("faultsInjected").obj(0);
            assertThat(fault.string("fault")).isEqualTo("RCD_AC_30MA");
            assertThat(fault.bool("contactorWasClosed")).isTrue();
            assertThat(fault.integer("contactorOpenCommandAfterMillis")).isZero();
            assertThat(fault.integer("reactionMicros")).isNotNegative();
            long faultAt = fault.integer("atMillis");
            assertThat(summary.integer("durationMillis")).isEqualTo(faultAt + 20 + 2000 + 1000 - (plugged - 1000));
            assertThat(end.integer("t")).isEqualTo(faultAt + 20 + 2000 + 1000);
            assertThat(summary.obj("expectations").bool("passed")).as(summary.write()).isTrue();
            // The play's speed ends with it.
            assertThat(runner.speed()).isEqualTo(1.0);
        }
    }

    @Test
    void aSecondPlayIsRefusedWhileOneRuns() throws Exception {
        try (Client a = new Client(socket); Client b = new Client(socket)) {
            String play = "{\"cmd\": \"play\", \"scenario\": " + scenario("{\"at\": 100, \"do\": \"plug\"}", "") + "}";
            assertThat(a.call(play).bool("ok")).isTrue();
            Json.Obj refused = b.call(play);
            assertThat(refused.bool("ok")).isFalse();
            assertThat(refused.string("error")).isEqualTo("scenario 't' is still playing");
        }
    }

    @Test
    void aPlayWhoseClientLeavesIsAbandoned() throws Exception {
        String play = "{\"cmd\": \"play\", \"speed\": 50, \"scenario\": "
                + scenario("{\"at\": 1, \"do\": \"authorize\", \"idTag\": \"x\"}, {\"at\": 2, \"do\": \"plug\"}", "") + "}";
        try (Client a = new Client(socket)) {
            assertThat(a.call(play).bool("ok")).isTrue();
            a.until(Client.event("cue"));
        }
        try (Client b = new Client(socket)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            Json.Obj r = b.call(play);
            while (!r.bool("ok") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                r = b.call(play);
            }
            assertThat(r.bool("ok")).as(r.write()).isTrue();
            assertThat(b.until(Client.event("cue")).obj("action").string("do")).isEqualTo("authorize");
        }
    }

    @Test
    void localCuesAreCarriedOutOnTheSafetyController() throws Exception {
        try (Client c = new Client(socket)) {
            assertThat(c.call("{\"cmd\": \"play\", \"speed\": 500, \"cues\": \"local\", \"scenario\": " + scenario(
                    "{\"at\": 1, \"do\": \"plug\"}, {\"at\": 2, \"do\": \"authorize\", \"idTag\": \"local-1\"},"
                            + "{\"at\": 3, \"do\": \"limit\", \"claimId\": \"grid\", \"amps\": 10, \"ttlSeconds\": 60},"
                            + "{\"at\": 4, \"do\": \"silence-link\"}, {\"at\": 5, \"do\": \"restore-link\"},"
                            + "{\"at\": 6, \"do\": \"reset-faults\"}, {\"at\": 7, \"do\": \"kill-app\"}", "") + "}").bool("ok")).isTrue();
            List<String> results = new ArrayList<>();
            Json.Obj o;
            while (!"end".equals((o = c.until(x -> x.has("event"))).string("event"))) {
                if ("cue-done".equals(o.string("event"))) {
                    results.add(o.string("result"));
                }
            }
            assertThat(controller.calls).containsExactly("authorize local-1", "limit grid 10000", "reset-faults");
            assertThat(results).containsExactly("accepted", "accepted", "link silent", "link up",
                    "refused NOT_ALLOWED: nothing to reset", "link silent");
            assertThat(controller.heartbeats.get()).isPositive();
            assertThat(controller.linkClosedCalled()).isTrue();
            assertThat(server.link().beating()).isFalse();
        }
    }

    @Test
    void summaryWithoutAPlayCoversTheTimeSinceStart() throws Exception {
        try (Client c = new Client(socket)) {
            board.inject(SimFault.PP_REMOVED);
            Json.Obj s = c.call("{\"cmd\": \"summary\"}").obj("summary");
            assertThat(s.arr("faultsInjected").obj(0).string("fault")).isEqualTo("PP_REMOVED");
            assertThat(s.has("energyWh")).isTrue();
            assertThat(s.has("durationMillis")).isTrue();
        }
    }

    @Test
    void aLineWithATrailingCarriageReturnIsAccepted() throws Exception {
        try (Client c = new Client(socket)) {
            c.sendRaw("{\"cmd\": \"summary\"}\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.read().bool("ok")).isTrue();
        }
    }
}
