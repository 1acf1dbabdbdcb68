package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.integration.system.fixture.BlockingActivator;
import org.voltkeep.integration.system.fixture.HaltingActivator;
import org.voltkeep.json.Json;

/**
 * A/B updates on the real command line: a running device (this build's image in slot A)
 * installs a v2 through {@code run/boot.sock}, activates it, and the launcher reboots
 * into it on trial. A healthy v2 is committed (good, primary, floor raised); a v2 built
 * to fail its health check, one that crash-loops and one that hangs are each rolled
 * back to v1 with the reason recorded, and v1 then charges a car.
 */
class SlotUpdateTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration QUICK = Duration.ofSeconds(60);
    static final String V1 = "0.1.0-SNAPSHOT";

    enum Failure {
        /** No link client: the link never comes up, so the health check never passes. */
        HEALTH_CHECK("health check did not pass within the trial window of 20 s", 20),
        /** A bundle that halts the JVM as it starts. */
        CRASH_LOOP("crash loop: the application domain exited 3 times during the trial", 40),
        /** A bundle whose start never returns: the application domain never becomes ready. */
        HANG("hang: the application domain was not ready within the trial window of 15 s", 15),
        /** A safety-zone bundle that halts the safety domain's JVM as it starts. */
        SAFETY_EXIT("the safety domain exited before it was ready (code 17)", 40);

        final String reason;
        final int windowSeconds;

        Failure(String reason, int windowSeconds) {
            this.reason = reason;
            this.windowSeconds = windowSeconds;
        }
    }

    @Test
    void aHealthyUpdateIsCommittedAndRaisesTheFloor(@TempDir Path dir) throws Exception {
        Path device = init(dir, 60);
        Path v2 = new UpdateImages(dir).build("2.0.0", 2, Set.of(), null);
        Path log = dir.resolve("run.log");
        Process run = Voltkeep.start(log, "run", "--device", device.toString());
        try (Voltkeep.Lines boot = new Voltkeep.Lines(device.resolve("run/boot.sock"), WAIT)) {
            Json.Obj before = awaitSlots(boot, s -> !s.get("booted").typeName().equals("null"));
            assertThat(before.string("booted")).isEqualTo("a");
            assertThat(before.string("primary")).isEqualTo("a");
            assertThat(before.integer("floor")).isEqualTo(1);
            assertThat(before.get("trial").typeName()).isEqualTo("null");

            // bad requests change nothing
            assertThat(boot.call(Json.object().put("cmd", "activate")).string("error")).contains("no installed slot waits");
            assertThat(boot.call(Json.object().put("cmd", "reboot")).string("error")).contains("unknown command 'reboot'");
            assertThat(boot.call(Json.object().put("cmd", "install")).string("error")).contains("$.file: missing");
            assertThat(boot.call(Json.object().put("cmd", "slots").put("x", 1)).string("error")).contains("unknown key");
            Path bad = dir.resolve("bad.vkimg");
            byte[] bytes = Files.readAllBytes(v2);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(bad, bytes);
            Json.Obj refused = boot.call(Json.object().put("cmd", "install").put("file", bad.toString()));
            assertThat(refused.bool("ok")).isFalse();
            assertThat(refused.string("status")).isIn("InvalidSignature", "InstallVerificationFailed");
            assertThat(refused.string("error")).contains("slot b rejected");
            assertThat(slotOf(boot.call(Json.object().put("cmd", "slots")), "b").string("state")).isEqualTo("empty");

            Json.Obj installed = install(boot, v2);
            assertThat(installed.bool("ok")).as(installed.write()).isTrue();
            assertThat(installed.string("slot")).isEqualTo("b");
            assertThat(installed.string("version")).isEqualTo("2.0.0");
            assertThat(installed.integer("securityVersion")).isEqualTo(2);
            Json.Obj act = boot.call(Json.object().put("cmd", "activate"));
            assertThat(act.bool("ok")).as(act.write()).isTrue();
            assertThat(act.string("slot")).isEqualTo("b");

            Json.Obj after = awaitSlots(boot, s -> s.get("trial").typeName().equals("null")
                    && !slotOf(s, "b").string("state").equals("trial"));
            assertThat(slotOf(after, "b").string("state")).as(after.write()).isEqualTo("good");
            assertThat(after.string("primary")).isEqualTo("b");
            assertThat(after.string("booted")).isEqualTo("b");
            assertThat(after.integer("floor")).isEqualTo(2);
            assertThat(slotOf(after, "b").string("why")).contains("health check passed");
            Json.Obj sup = supervisorState(device, st -> st.string("slot").equals("b") && "committed".equals(st.string("trialStatus", "")));
            assertThat(sup.string("imageVersion")).isEqualTo("2.0.0");

            Voltkeep.Result slots = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json");
            assertThat(slots.exitCode()).as(slots.stderr()).isZero();
            Json.Obj j = slots.json();
            assertThat(slotOf(j, "a").string("state")).isEqualTo("good");
            assertThat(slotOf(j, "a").string("version")).isEqualTo(V1);
            assertThat(slotOf(j, "b").string("state")).isEqualTo("good");
            assertThat(slotOf(j, "b").string("version")).isEqualTo("2.0.0");
            assertThat(j.string("primary")).isEqualTo("b");
            assertThat(j.integer("floor")).isEqualTo(2);
            Voltkeep.Result text = Voltkeep.run(QUICK, "slots", "--device", device.toString());
            assertThat(text.stdout()).containsPattern("slot a  good +" + V1.replace(".", "\\."))
                    .containsPattern("slot b  good +2\\.0\\.0 .*\\(primary\\) \\(booted\\)")
                    .contains("anti-rollback floor: security version 2");
            chargesBriefly(device);
        } finally {
            stop(run);
        }
        String events = Files.readString(device.resolve("data/security/events.jsonl"));
        assertThat(events).contains("\"event\":\"FirmwareUpdated\"").contains("\"event\":\"ResetOrReboot\"")
                .doesNotContain("UpdateRolledBack");
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aFailingUpdateRollsBackToV1WithTheReasonAndV1KeepsCharging(Failure failure, @TempDir Path dir) throws Exception {
        Path device = init(dir, failure.windowSeconds);
        Path v2 = switch (failure) {
            case HEALTH_CHECK -> new UpdateImages(dir).build("2.0.0", 2, Set.of("org.voltkeep.link.client"), null);
            case CRASH_LOOP -> new UpdateImages(dir).build("2.0.0", 2, Set.of(), HaltingActivator.class);
            case HANG -> new UpdateImages(dir).build("2.0.0", 2, Set.of(), BlockingActivator.class);
            case SAFETY_EXIT -> new UpdateImages(dir).build("2.0.0", 2, Set.of(), HaltingActivator.class,
                    org.voltkeep.image.BundleDomain.SAFETY);
        };
        Path log = dir.resolve("run.log");
        Process run = Voltkeep.start(log, "run", "--device", device.toString());
        try (Voltkeep.Lines boot = new Voltkeep.Lines(device.resolve("run/boot.sock"), WAIT)) {
            awaitSlots(boot, s -> !s.get("booted").typeName().equals("null"));
            Json.Obj installed = install(boot, v2);
            assertThat(installed.bool("ok")).as(installed.write()).isTrue();
            assertThat(boot.call(Json.object().put("cmd", "activate")).bool("ok")).isTrue();

            Json.Obj after = awaitSlots(boot, s -> slotOf(s, "b").string("state").equals("bad"));
            assertThat(slotOf(after, "b").string("why")).as(after.write()).contains(failure.reason);
            assertThat(after.get("trial").typeName()).isEqualTo("null");
            assertThat(after.string("primary")).isEqualTo("a");
            assertThat(after.integer("floor")).as("a rolled-back image never raises the floor").isEqualTo(1);
            supervisorState(device, st -> st.string("slot").equals("a") && !st.bool("trial"));

            Voltkeep.Result slots = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json");
            Json.Obj j = slots.json();
            assertThat(slotOf(j, "a").string("state")).isEqualTo("good");
            assertThat(slotOf(j, "b").string("state")).isEqualTo("bad");
            assertThat(slotOf(j, "b").string("version")).isEqualTo("2.0.0");
            assertThat(slotOf(j, "b").string("why")).contains(failure.reason);
            assertThat(j.string("booted")).isEqualTo("a");
            chargesBriefly(device);
        } finally {
            stop(run);
        }
        assertThat(Files.readString(device.resolve("data/security/events.jsonl"))).contains("\"event\":\"UpdateRolledBack\"")
                .doesNotContain("\"event\":\"FirmwareUpdated\"");
        assertThat(Files.readString(log)).contains("rolled back and marked bad: " + failure.reason);
    }

    @Test
    void aTrialWhoseLauncherIsKilledUsesUpItsAttemptsAndTheNextRunRollsBack(@TempDir Path dir) throws Exception {
        Path device = init(dir, 60);
        Files.writeString(device.resolve("data/config/boot.properties"), "trial.attempts=1\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path v2 = new UpdateImages(dir).build("2.0.0", 2, Set.of(), null);
        Process run = Voltkeep.start(dir.resolve("run1.log"), "run", "--device", device.toString());
        try (Voltkeep.Lines boot = new Voltkeep.Lines(device.resolve("run/boot.sock"), WAIT)) {
            awaitSlots(boot, s -> !s.get("booted").typeName().equals("null"));
            assertThat(install(boot, v2).bool("ok")).isTrue();
            assertThat(boot.call(Json.object().put("cmd", "activate")).bool("ok")).isTrue();
            // the attempt is counted before the trial boot starts its domains: kill the launcher then
            Json.Obj counted = awaitSlots(boot, s -> s.get("trial") instanceof Json.Obj t && t.integer("attemptsLeft") == 0);
            assertThat(counted.obj("trial").string("slot")).isEqualTo("b");
            java.util.List<ProcessHandle> children = run.descendants().toList();
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle c : children) {
                c.onExit().get(30, TimeUnit.SECONDS); // a domain never outlives its launcher
            }
        }
        Json.Obj killed = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json").json();
        assertThat(killed.obj("trial").integer("attemptsLeft")).isZero();
        assertThat(killed.get("booted").typeName()).as("nothing runs").isEqualTo("null");

        Path log = dir.resolve("run2.log");
        Process again = Voltkeep.start(log, "run", "--device", device.toString());
        try {
            Json.Obj sup = supervisorState(device, st -> st.integer("launcherPid") == again.pid());
            assertThat(sup.string("slot")).isEqualTo("a");
            assertThat(sup.bool("trial")).isFalse();
            Json.Obj after = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json").json();
            assertThat(slotOf(after, "b").string("state")).isEqualTo("bad");
            assertThat(slotOf(after, "b").string("why")).contains("ran out of boot attempts");
            assertThat(after.integer("floor")).isEqualTo(1);
            assertThat(after.string("booted")).isEqualTo("a");
            Voltkeep.Result status = Voltkeep.run(QUICK, "status", "--device", device.toString());
            assertThat(status.stdout()).contains("slot b rolled back: trial ran out of boot attempts");
        } finally {
            stop(again);
        }
    }

    private static Path init(Path dir, int windowSeconds) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result r = Voltkeep.run(QUICK, "init", "--device", device.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Files.writeString(device.resolve("data/config/boot.properties"),
                "# short windows keep the test quick\ntrial.window-seconds=" + windowSeconds + "\ntrial.max-app-exits=3\n");
        return device;
    }

    static Json.Obj install(Voltkeep.Lines boot, Path image) throws Exception {
        boot.send(Json.object().put("cmd", "install").put("file", image.toString()));
        int progress = 0;
        while (true) {
            Json.Obj line = boot.read();
            if (!line.has("event")) {
                assertThat(progress).as("progress lines before the answer").isPositive();
                return line;
            }
            assertThat(line.string("event")).isEqualTo("progress");
            assertThat(line.string("phase")).isIn("copying", "verifying");
            assertThat(line.integer("done")).isBetween(0L, line.integer("total"));
            progress++;
        }
    }

    static Json.Obj slotOf(Json.Obj slots, String id) {
        Json.Arr arr = slots.arr("slots");
        for (int i = 0; i < arr.size(); i++) {
            if (arr.obj(i).string("slot").equals(id)) {
                return arr.obj(i);
            }
        }
        throw new AssertionError("no slot " + id + " in " + slots.write());
    }

    static Json.Obj awaitSlots(Voltkeep.Lines boot, Predicate<Json.Obj> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Json.Obj last = null;
        while (System.nanoTime() < deadline) {
            last = boot.call(Json.object().put("cmd", "slots"));
            assertThat(last.bool("ok")).as(last.write()).isTrue();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("slots never as expected; last: " + (last == null ? null : last.write()));
    }

    static Json.Obj supervisorState(Path device, Predicate<Json.Obj> until) throws Exception {
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
            Thread.sleep(100);
        }
        throw new AssertionError("supervisor state not as expected: " + (last == null ? "no file" : last.write()));
    }

    /** Plug, authorize, current flows through a closed contactor, unplug: the booted image charges. */
    static void chargesBriefly(Path device) throws Exception {
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            assertThat(sim.call(Json.object().put("cmd", "watch")).bool("ok")).isTrue();
            long deadline = System.nanoTime() + WAIT.toNanos();
            Json.Obj status = null;
            while (System.nanoTime() < deadline) {
                status = app.call(Json.object().put("cmd", "status"));
                if (status.get("status") instanceof Json.Obj s && StatusJson.read(s).link() == LinkState.UP
                        && StatusJson.read(s).selfTestPassed()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(status.string("link")).as(status.write()).isEqualTo("UP");
            assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
            Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "update-test"));
            assertThat(auth.bool("ok")).as(auth.write()).isTrue();
            ChargerStatus charging = awaitEvent(sim, s -> s.contactorFeedback() && s.currentMilliamps() > 0);
            assertThat(charging.sessionId()).isNotZero();
            assertThat(sim.call(Json.object().put("cmd", "unplug")).bool("ok")).isTrue();
            awaitEvent(sim, s -> s.sessionId() == 0 && !s.contactorCommanded());
        }
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

    static void stop(Process run) throws InterruptedException {
        run.destroy();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
    }
}
