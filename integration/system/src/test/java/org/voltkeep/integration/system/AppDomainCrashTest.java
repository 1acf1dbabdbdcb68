package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/**
 * Kills the application domain with SIGKILL in the middle of a charging session:
 * safety keeps running in the same process and applies its fallback (finish at the
 * safe current), the launcher restarts the application domain, which re-attaches to
 * the running session and records it once, complete, when the car leaves.
 */
class AppDomainCrashTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void killedApplicationDomainIsRestartedAndSafetyFollowsTheFallback(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(Duration.ofSeconds(60), "init", "--device", device.toString()).exitCode()).isZero();
        Path log = dir.resolve("run.log");
        Process run = Voltkeep.start(log, "run", "--device", device.toString(), "--speed", "5");
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            Json.Obj before = supervisorState(device, st -> true);
            long safetyPid = before.integer("safetyPid");
            long appPid = before.integer("appPid");
            assertThat(sim.call(Json.object().put("cmd", "watch")).bool("ok")).isTrue();
            awaitStatus(app, s -> s.link() == LinkState.UP && s.selfTestPassed());
            assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
            Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "crash-test"));
            assertThat(auth.bool("ok")).as(auth.write()).isTrue();
            ChargerStatus charging = awaitEvent(sim, s -> s.contactorFeedback() && s.currentMilliamps() > 10_000);
            long session = charging.sessionId();
            assertThat(session).isNotZero();

            // what the application domain had saved before the crash is what it can keep
            awaitSavedPeak(device.resolve("data/sessions/open.json"), 10_000);
            ProcessHandle app1 = ProcessHandle.of(appPid).orElseThrow();
            app1.destroyForcibly();
            app1.onExit().get(30, TimeUnit.SECONDS);
            long savedEnergyWh = Json.parseObject(Files.readString(device.resolve("data/sessions/open.json"))).integer("energyWh");

            ChargerStatus fallback = awaitEvent(sim, s -> s.link() == LinkState.SILENT_FALLBACK);
            assertThat(fallback.sessionId()).isEqualTo(session);
            ChargerStatus safe = awaitEvent(sim, s -> s.link() == LinkState.SILENT_FALLBACK && s.currentMilliamps() <= 6_000
                    && s.currentMilliamps() > 0);
            assertThat(safe.limitMilliamps()).as("fallback caps the limit at 6 A").isLessThanOrEqualTo(6_000);
            assertThat(safe.contactorCommanded()).as("SAFE_CURRENT finishes the session").isTrue();

            ChargerStatus back = awaitEvent(sim, s -> s.link() == LinkState.UP);
            assertThat(back.sessionId()).as("same session after the restart").isEqualTo(session);
            Json.Obj after = supervisorState(device, st -> st.integer("appRestarts") > 0);
            assertThat(after.integer("safetyPid")).as("safety domain untouched").isEqualTo(safetyPid);
            assertThat(after.integer("appPid")).isNotEqualTo(appPid);
            assertThat(after.integer("appRestarts")).isEqualTo(1);
            assertThat(ProcessHandle.of(safetyPid).map(ProcessHandle::isAlive)).contains(true);

            try (Voltkeep.Lines app2 = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
                Json.Obj status = awaitStatusReply(app2, s -> s.sessionId() == session);
                assertThat(status.string("link")).isEqualTo("UP");
                // the restarted recorder has re-attached once it reports more energy than the crash left saved
                awaitOpenSessionEnergy(app2, session, savedEnergyWh);
                assertThat(sim.call(Json.object().put("cmd", "unplug")).bool("ok")).isTrue();
                awaitEvent(sim, s -> s.sessionId() == 0 && !s.contactorCommanded());
                Json.Arr sessions = awaitSessions(app2, 1);
                assertThat(sessions.size()).as("one record for the one session").isEqualTo(1);
                Json.Obj rec = sessions.obj(0);
                assertThat(rec.integer("sessionId")).isEqualTo(session);
                assertThat(rec.integer("peakCurrentMilliamps")).as("peak from before the crash kept").isGreaterThan(10_000);
                assertThat(rec.integer("energyWh")).isPositive();
            }
        } finally {
            run.destroy();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("safety domain stopped");
    }

    private static void awaitOpenSessionEnergy(Voltkeep.Lines app, long session, long savedEnergyWh) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Json.Obj last = null;
        while (System.nanoTime() < deadline) {
            last = app.call(Json.object().put("cmd", "status"));
            if (last.get("openSession") instanceof Json.Obj open && open.integer("sessionId") == session
                    && open.integer("energyWh") > savedEnergyWh) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the restarted application domain never re-attached to session " + session + ": "
                + (last == null ? null : last.write()));
    }

    private static void awaitSavedPeak(Path openSession, int milliamps) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(openSession)) {
                try {
                    if (Json.parseObject(Files.readString(openSession)).integer("peakCurrentMilliamps") > milliamps) {
                        return;
                    }
                } catch (IllegalArgumentException | java.io.IOException e) {
                    // replaced atomically, but a read may still race the rename: try again
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the running session was never saved with a peak above " + milliamps + " mA");
    }

    /** The supervisor rewrites its state (atomically) whenever a domain became ready. */
    private static Json.Obj supervisorState(Path device, Predicate<Json.Obj> until) throws Exception {
        Path file = device.resolve("run/supervisor.json");
        long deadline = System.nanoTime() + WAIT.toNanos();
        Json.Obj last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                last = Json.parseObject(Files.readString(file));
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("supervisor state not as expected: " + (last == null ? "no file" : last.write()));
    }

    private static ChargerStatus awaitEvent(Voltkeep.Lines sim, Predicate<ChargerStatus> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ChargerStatus last = null;
        while (System.nanoTime() < deadline) {
            Json.Obj ev = sim.read();
            if ("state".equals(ev.string("event", ""))) {
                last = StatusJson.read(ev.obj("status"));
                if (p.test(last)) {
                    return last;
                }
            }
        }
        throw new AssertionError("no such status within " + WAIT + "; last: " + last);
    }

    private static void awaitStatus(Voltkeep.Lines app, Predicate<ChargerStatus> p) throws Exception {
        awaitStatusReply(app, p);
    }

    private static Json.Obj awaitStatusReply(Voltkeep.Lines app, Predicate<ChargerStatus> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Json.Obj last = null;
        while (System.nanoTime() < deadline) {
            last = app.call(Json.object().put("cmd", "status"));
            if (last.get("status") instanceof Json.Obj s && p.test(StatusJson.read(s))) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such status from the application domain within " + WAIT + "; last: " + (last == null ? null : last.write()));
    }

    private static Json.Arr awaitSessions(Voltkeep.Lines app, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Json.Arr last = null;
        while (System.nanoTime() < deadline) {
            last = app.call(Json.object().put("cmd", "sessions").put("max", 10)).arr("sessions");
            if (last.size() >= count) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sessions: " + (last == null ? null : last.write()));
    }
}
