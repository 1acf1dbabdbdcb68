package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/**
 * Both A/B slots bad on a real device, through the real command line: {@code voltkeep init}
 * put this build's image into A and the recovery image into R; a committed 5.0.0
 * (security version 5) raised the anti-rollback floor to 5, above the recovery image's
 * security version 1. Then the images of A and B are damaged. {@code voltkeep run}
 * falls back to R, verified against R's own floor; status names the recovery image; a
 * car plugged in is refused and the contactor never closes. {@code voltkeep update
 * install} (the recovery image's update agent, then the launcher's boot socket) puts a
 * good 6.0.0 into A, which boots on trial, passes its health check, is committed and
 * charges a car.
 */
class RecoveryFallbackTest {
    static final Duration QUICK = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration UPDATE = Duration.ofSeconds(300);
    /** Wall time the car stays plugged in and asking while the recovery image runs. */
    static final Duration WATCHED = Duration.ofSeconds(3);

    @Test
    void withBothSlotsBadTheRecoveryImageBootsRefusesToChargeAndInstallsAGoodImageThatCharges(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result init = Voltkeep.run(QUICK, "init", "--device", device.toString());
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        assertThat(init.stdout()).contains("slot r <- recovery image ").contains("-recovery");
        Files.writeString(device.resolve("data/config/boot.properties"), "trial.window-seconds=60\n");
        UpdateImages images = new UpdateImages(dir);

        // a committed 5.0.0 raises the floor above the recovery image's security version
        Path v5 = images.build("5.0.0", 5, Set.of(), null);
        Process first = Voltkeep.start(dir.resolve("run-v5.log"), "run", "--device", device.toString());
        try (Voltkeep.Lines boot = new Voltkeep.Lines(device.resolve("run/boot.sock"), WAIT)) {
            SlotUpdateTest.awaitSlots(boot, s -> !s.get("booted").typeName().equals("null"));
            Json.Obj installed = SlotUpdateTest.install(boot, v5);
            assertThat(installed.bool("ok")).as(installed.write()).isTrue();
            assertThat(boot.call(Json.object().put("cmd", "activate")).bool("ok")).isTrue();
            Json.Obj committed = SlotUpdateTest.awaitSlots(boot, s -> s.integer("floor") == 5
                    && SlotUpdateTest.slotOf(s, "b").string("state").equals("good"));
            assertThat(committed.string("primary")).isEqualTo("b");
        } finally {
            SlotUpdateTest.stop(first);
        }

        damage(device.resolve("slots/a/image.vkimg"));
        damage(device.resolve("slots/b/image.vkimg"));

        Path recoveryLog = dir.resolve("run-recovery.log");
        Process recovery = Voltkeep.start(recoveryLog, "run", "--device", device.toString(), "--speed", "5");
        try {
            Json.Obj sup = SlotUpdateTest.supervisorState(device, st -> st.string("slot").equals("r"));
            assertThat(sup.string("imageVersion")).endsWith("-recovery");
            assertThat(sup.string("bootReason")).isEqualTo("fallback to the recovery image (slot r)");

            Json.Obj slots = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json").json();
            assertThat(slots.string("booted")).isEqualTo("r");
            assertThat(slots.integer("floor")).as("the device's floor stays where the commit put it").isEqualTo(5);
            assertThat(SlotUpdateTest.slotOf(slots, "a").string("state")).isEqualTo("bad");
            assertThat(SlotUpdateTest.slotOf(slots, "a").string("why")).startsWith("failed verification at boot");
            assertThat(SlotUpdateTest.slotOf(slots, "b").string("state")).isEqualTo("bad");
            assertThat(SlotUpdateTest.slotOf(slots, "b").string("why")).startsWith("failed verification at boot");
            assertThat(SlotUpdateTest.slotOf(slots, "r").string("state")).isEqualTo("good");
            assertThat(SlotUpdateTest.slotOf(slots, "r").integer("securityVersion")).as("below the device's floor").isEqualTo(1);

            try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                    Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
                assertThat(sim.call(Json.object().put("cmd", "watch")).bool("ok")).isTrue();
                ChargerStatus held = awaitStatus(app, s -> s.link() == LinkState.UP && s.selfTestPassed());
                assertThat(held.state()).as("the pilot held at state F").isEqualTo(ChargerState.F);
                assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
                awaitStatus(app, s -> s.cableMilliamps() == 32_000);
                Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "recovery-fallback"));
                assertThat(auth.bool("ok")).as(auth.write()).isFalse();
                assertThat(auth.string("code")).isEqualTo("NOT_ALLOWED");
                assertThat(auth.string("error")).contains("recovery image");

                List<ChargerStatus> seen = new ArrayList<>();
                List<Json.Obj> contactor = new ArrayList<>();
                long end = System.nanoTime() + WATCHED.toNanos();
                while (System.nanoTime() < end) {
                    Json.Obj ev = sim.read();
                    String kind = ev.string("event", "");
                    if (kind.equals("state")) {
                        seen.add(StatusJson.read(ev.obj("status")));
                    } else if (kind.equals("sim") && ev.string("kind", "").startsWith("CONTACTOR")) {
                        contactor.add(ev);
                    }
                }
                assertThat(seen).as("safety kept publishing").isNotEmpty().allSatisfy(s -> {
                    assertThat(s.contactorCommanded()).isFalse();
                    assertThat(s.contactorFeedback()).isFalse();
                    assertThat(s.currentMilliamps()).isZero();
                });
                assertThat(contactor).as("the board never saw the contactor move").isEmpty();
            }
            Voltkeep.Result status = Voltkeep.run(QUICK, "status", "--device", device.toString());
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).contains("slot r, image ").contains("-recovery").contains("contactor open")
                    .contains("fallback to the recovery image");

            // a good image, installed by the recovery image's update agent while the car is still plugged in
            Path v6 = images.build("6.0.0", 6, Set.of(), null);
            Voltkeep.Result update = Voltkeep.run(UPDATE, "update", "install", "--device", device.toString(), v6.toString(),
                    "--json");
            assertThat(update.exitCode()).as(update.stdout() + update.stderr()).isZero();
            assertThat(update.stdout()).as("no waiting for an unplug that the recovery image's state F never shows")
                    .doesNotContain("\"status\":\"InstallScheduled\"").contains("\"status\":\"InstallRebooting\"");
            List<String> lines = update.stdout().lines().toList();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"ok\":true,\"status\":\"Installed\"}");

            Json.Obj after = SlotUpdateTest.supervisorState(device, st -> st.string("slot").equals("a")
                    && "committed".equals(st.string("trialStatus", "")));
            assertThat(after.string("imageVersion")).isEqualTo("6.0.0");
            Json.Obj j = Voltkeep.run(QUICK, "slots", "--device", device.toString(), "--json").json();
            assertThat(j.string("booted")).isEqualTo("a");
            assertThat(j.string("primary")).isEqualTo("a");
            assertThat(j.get("trial").typeName()).isEqualTo("null");
            assertThat(SlotUpdateTest.slotOf(j, "a").string("state")).isEqualTo("good");
            assertThat(SlotUpdateTest.slotOf(j, "a").string("version")).isEqualTo("6.0.0");
            assertThat(SlotUpdateTest.slotOf(j, "a").string("why")).contains("health check passed");
            assertThat(SlotUpdateTest.slotOf(j, "r").string("state")).as("R stays for the next time").isEqualTo("good");
            assertThat(j.integer("floor")).isEqualTo(6);

            SlotUpdateTest.chargesBriefly(device);
        } finally {
            SlotUpdateTest.stop(recovery);
        }
        String log = Files.readString(recoveryLog);
        assertThat(log).contains("fallback to the recovery image").contains("slot a committed: image 6.0.0");
        String events = Files.readString(device.resolve("data/security/events.jsonl"));
        assertThat(events).contains("\"event\":\"BootRefused\"").contains("6.0.0 committed after its trial");
    }

    /** One byte changed in the middle of a slot's image: a bundle's hash no longer matches. */
    private static void damage(Path image) throws Exception {
        byte[] b = Files.readAllBytes(image);
        b[b.length / 2] ^= 0x20;
        Files.write(image, b);
    }

    private static ChargerStatus awaitStatus(Voltkeep.Lines app, Predicate<ChargerStatus> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Json.Obj last = null;
        while (System.nanoTime() < deadline) {
            last = app.call(Json.object().put("cmd", "status"));
            if (last.get("status") instanceof Json.Obj s) {
                ChargerStatus st = StatusJson.read(s);
                if (p.test(st)) {
                    return st;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such status from the application domain within " + WAIT + "; last: "
                + (last == null ? null : last.write()));
    }
}
