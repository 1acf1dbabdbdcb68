package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/**
 * A/B update of a running charger through the command line, with a car charging:
 * an update waits in InstallScheduled while the session runs and activates once the
 * car is unplugged; a forced one has safety stop the session and open the contactor
 * before the charger restarts into the new slot. Both end Installed: the new slot
 * booted on trial, passed the launcher's health check and was committed.
 *
 * <p>Needs the launcher's boot socket ({@code run/boot.sock}: slots, install,
 * activate, trial boot and commit); with a launcher that does not serve it, the
 * tests fail saying so.
 */
class UpdateDuringSessionTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration UPDATE = Duration.ofSeconds(300);

    @TempDir
    Path dir;
    private Path device;
    private Path newImage;
    private Process run;

    @BeforeEach
    void runningChargerAndANewImage() throws Exception {
        device = dir.resolve("dev");
        assertThat(Voltkeep.run(Duration.ofSeconds(60), "init", "--device", device.toString()).exitCode()).isZero();
        newImage = dir.resolve("2.0.0.vkimg");
        Voltkeep.Result built = Voltkeep.run(Duration.ofSeconds(120), "image", "build", "--dev", "--version", "2.0.0",
                "--security-version", "2", "--out", newImage.toString());
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        run = Voltkeep.start(dir.resolve("run.log"), "run", "--device", device.toString(), "--speed", "5");
    }

    @AfterEach
    void stop() throws Exception {
        run.destroy();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
    }

    @Test
    void anUpdateDuringASessionWaitsAndActivatesAfterTheCarIsUnplugged() throws Exception {
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            requireBootSocket();
            long session = charge(sim, app);
            long appPid = supervisorAppPid();

            Voltkeep.Result install = Voltkeep.run(UPDATE, "update", "install", "--device", device.toString(), newImage.toString(),
                    "--json");
            assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
            assertThat(lastLine(install.stdout())).isEqualTo("{\"ok\":true,\"status\":\"InstallScheduled\"}");

            // the session goes on, nothing restarts while the car is there
            ChargerStatus still = awaitEvent(sim, s -> s.boardMillis() > 0 && s.sessionId() == session, WAIT);
            for (int i = 0; i < 20; i++) {
                Json.Obj u = app.call(Json.object().put("cmd", "update-status")).obj("update");
                assertThat(u.string("status")).isEqualTo("InstallScheduled");
                assertThat(u.string("reason")).isEqualTo("session " + session + " running: activates when the car is unplugged");
                Thread.sleep(100);
            }
            ChargerStatus later = awaitEvent(sim, s -> s.boardMillis() > still.boardMillis() + 5_000, WAIT);
            assertThat(later.contactorFeedback()).as("still charging").isTrue();
            assertThat(later.sessionId()).isEqualTo(session);
            assertThat(supervisorAppPid()).as("the application domain was not restarted").isEqualTo(appPid);

            assertThat(sim.call(Json.object().put("cmd", "unplug")).bool("ok")).isTrue();
        }
        Json.Obj installed = awaitUpdate(u -> u.string("status").equals("Installed"));
        assertThat(installed.string("version")).isEqualTo("2.0.0");
        assertThat(installed.string("slot")).isEqualTo("b");
        assertBootedAndCommitted("b", "2.0.0");
    }

    @Test
    void aForcedUpdateStopsTheSessionAndOpensTheContactorFirst() throws Exception {
        List<ChargerStatus> seen = new CopyOnWriteArrayList<>();
        Thread watcher;
        long session;
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            requireBootSocket();
            session = charge(sim, app);
            // every status safety reports until its domain stops for the restart
            watcher = new Thread(() -> {
                try {
                    while (true) {
                        Json.Obj ev = sim.read();
                        if ("state".equals(ev.string("event", ""))) {
                            seen.add(StatusJson.read(ev.obj("status")));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the safety domain stopped: its socket closed
                }
            }, "sim-watch");
            watcher.start();

            Voltkeep.Result install = Voltkeep.run(UPDATE, "update", "install", "--device", device.toString(), newImage.toString(),
                    "--force");
            assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
            assertThat(install.stdout()).contains("forced: stopping session " + session)
                    .contains("installed: image 2.0.0 runs from slot b and was committed");
            watcher.join(WAIT.toMillis());
        }
        assertThat(seen).as("safety reported the session while it charged").anyMatch(s -> s.sessionId() == session
                && s.contactorFeedback());
        int stoppedAt = -1;
        for (int i = 0; i < seen.size(); i++) {
            ChargerStatus s = seen.get(i);
            if (s.sessionId() == session && s.stopRequested() && !s.contactorCommanded() && !s.contactorFeedback()
                    && s.state() != ChargerState.A) {
                stoppedAt = i;
                break;
            }
        }
        assertThat(stoppedAt).as("safety stopped the session and opened the contactor while it still ran, car still plugged: "
                + seen).isNotNegative();
        assertThat(seen.subList(stoppedAt, seen.size())).as("never closed again before the restart")
                .noneMatch(s -> s.contactorCommanded() || s.contactorFeedback());
        assertBootedAndCommitted("b", "2.0.0");
    }

    private void requireBootSocket() throws InterruptedException {
        Path boot = device.resolve("run/boot.sock");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(boot) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(boot).as("the launcher serves its boot socket (A/B install, activate, trial boot, commit);"
                + " this launcher does not").exists();
    }

    /** Plugs a car in, authorizes it and waits until it charges; returns the session id. */
    private long charge(Voltkeep.Lines sim, Voltkeep.Lines app) throws Exception {
        assertThat(sim.call(Json.object().put("cmd", "watch")).bool("ok")).isTrue();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Json.Obj st = app.call(Json.object().put("cmd", "status"));
            if (st.get("status") instanceof Json.Obj s && StatusJson.read(s).link() == LinkState.UP) {
                break;
            }
            assertThat(System.nanoTime()).as("link up").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
        Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "update-test"));
        assertThat(auth.bool("ok")).as(auth.write()).isTrue();
        ChargerStatus charging = awaitEvent(sim, s -> s.contactorFeedback() && s.currentMilliamps() > 10_000, WAIT);
        assertThat(charging.sessionId()).isNotZero();
        return charging.sessionId();
    }

    /** The launcher writes its state file once both domains are ready, which may be just after app.sock answers. */
    private long supervisorAppPid() throws Exception {
        Path state = device.resolve("run/supervisor.json");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(state) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return Json.parseObject(Files.readString(state)).integer("appPid");
    }

    /** Asks the command line until the update is where the predicate says, across the restart. */
    private Json.Obj awaitUpdate(Predicate<Json.Obj> p) throws Exception {
        long deadline = System.nanoTime() + UPDATE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Voltkeep.Result r = Voltkeep.run(Duration.ofSeconds(60), "update", "status", "--device", device.toString(), "--json");
            last = r.stdout() + r.stderr();
            if (r.exitCode() == 0) {
                Json.Obj o = r.json();
                if (o.get("update") instanceof Json.Obj u) {
                    assertThat(u.string("status")).as("no failure on the way: " + u.write())
                            .isNotIn("InstallationFailed", "InstallVerificationFailed", "InvalidSignature", "DownloadFailed");
                    if (p.test(u)) {
                        return u;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the update did not get there within " + UPDATE + "; last: " + last);
    }

    /** The launcher's own view, from its boot socket: the new slot booted, is good and primary, no trial. */
    private void assertBootedAndCommitted(String slot, String version) throws Exception {
        awaitUpdate(u -> u.string("status").equals("Installed"));
        try (Voltkeep.Lines boot = new Voltkeep.Lines(device.resolve("run/boot.sock"), WAIT)) {
            Json.Obj slots = boot.call(Json.object().put("cmd", "slots"));
            assertThat(slots.string("booted")).as(slots.write()).isEqualTo(slot);
            assertThat(slots.string("primary")).isEqualTo(slot);
            assertThat(slots.get("trial").typeName()).isEqualTo("null");
            Json.Arr list = slots.arr("slots");
            boolean found = false;
            for (int i = 0; i < list.size(); i++) {
                Json.Obj s = list.obj(i);
                if (s.string("slot").equals(slot)) {
                    assertThat(s.string("state")).isEqualTo("good");
                    assertThat(s.string("version")).isEqualTo(version);
                    found = true;
                }
            }
            assertThat(found).as("slot " + slot + " listed: " + slots.write()).isTrue();
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static ChargerStatus awaitEvent(Voltkeep.Lines sim, Predicate<ChargerStatus> p, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
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
        throw new AssertionError("no such status within " + wait + "; last: " + last);
    }
}
