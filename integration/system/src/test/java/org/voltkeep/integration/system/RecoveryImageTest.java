package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/**
 * The recovery image the build makes (recovery-image/target/voltkeep-recovery.vkimg)
 * as a device runs it: verified with the development anchors, installed into slot A
 * of a device that ran the product image before, booted through the real command
 * line. A car plugs in and authorization is tried through the application domain's
 * control socket: the safety hold refuses, the contactor never closes, status names
 * the recovery image. Then the product image is installed again and charges.
 */
class RecoveryImageTest {
    static final Duration QUICK = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Wall time the car stays plugged in and asking while the recovery image runs. */
    static final Duration WATCHED = Duration.ofSeconds(4);

    static Path recoveryImage() {
        return Voltkeep.root().resolve("recovery-image/target/voltkeep-recovery.vkimg");
    }

    @Test
    void imageVerifyAcceptsTheRecoveryImageWithTheDevelopmentAnchors() throws Exception {
        Voltkeep.Result r = Voltkeep.run(QUICK, "image", "verify", recoveryImage().toString(), "--anchors",
                TrustCommandsTest.devAnchors().toString(), "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Json.Obj summary = r.json();
        assertThat(summary.bool("valid")).isTrue();
        assertThat(summary.string("version")).endsWith("-recovery");
        List<String> safety = new ArrayList<>();
        List<String> app = new ArrayList<>();
        Json.Arr bundles = summary.arr("bundles");
        for (int i = 0; i < bundles.size(); i++) {
            Json.Obj b = bundles.obj(i);
            (b.string("domain").equals("safety") ? safety : app).add(b.string("symbolicName"));
        }
        assertThat(safety).contains("org.voltkeep.safety.hold", "org.voltkeep.safety.link", "org.voltkeep.hal.sim")
                .as("no IEC 61851 controller: nothing that can close the contactor").doesNotContain("org.voltkeep.safety");
        assertThat(app).contains("org.voltkeep.link.client", "org.voltkeep.control", "org.voltkeep.shell");

        Voltkeep.Result text = Voltkeep.run(QUICK, "image", "verify", recoveryImage().toString(), "--anchors",
                TrustCommandsTest.devAnchors().toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).startsWith("valid: ").contains("-recovery");
    }

    @Test
    void imageBuildNamesWhatIsWrongWithItsSourcesAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.vkimg");
        Path list = Voltkeep.root().resolve("recovery-image/bundles.list");
        Path config = Voltkeep.root().resolve("recovery-image/config");
        Path built = Voltkeep.root().resolve("recovery-image/target/bundles");

        Voltkeep.Result noList = build(out, "--bundle-list", dir.resolve("none.list").toString());
        assertThat(noList.exitCode()).isEqualTo(2);
        assertThat(noList.stderr()).contains("none.list").contains("--bundle-list");

        Path halfConfig = Files.createDirectories(dir.resolve("config/safety"));
        Voltkeep.Result noApp = build(out, "--bundle-list", list.toString(), "--config", halfConfig.getParent().toString());
        assertThat(noApp.exitCode()).isEqualTo(2);
        assertThat(noApp.stderr()).contains(halfConfig.getParent().resolve("app").toString()).contains("app domain");

        // a JAR the list does not name: the product's IEC 61851 controller next to the recovery bundles
        Path pool = Files.createDirectories(dir.resolve("pool"));
        try (var jars = Files.list(built)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, pool.resolve(jar.getFileName()));
            }
        }
        Path controller;
        try (var jars = Files.list(Voltkeep.root().resolve("launcher/target/bundles"))) {
            controller = jars.filter(p -> p.getFileName().toString().startsWith("org.voltkeep.safety-")).findFirst().orElseThrow();
        }
        Files.copy(controller, pool.resolve(controller.getFileName()));
        Voltkeep.Result extra = build(out, "--bundle-list", list.toString(), "--bundles", pool.toString(), "--config",
                config.toString());
        assertThat(extra.exitCode()).isEqualTo(1);
        assertThat(extra.stderr()).contains("bundle org.voltkeep.safety (").contains("is not in " + list);

        // a listed bundle without its JAR
        Files.delete(pool.resolve(controller.getFileName()));
        try (var jars = Files.list(pool)) {
            Files.delete(jars.filter(p -> p.getFileName().toString().startsWith("org.voltkeep.safety.hold-")).findFirst().orElseThrow());
        }
        Voltkeep.Result missing = build(out, "--bundle-list", list.toString(), "--bundles", pool.toString(), "--config",
                config.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("but not in " + pool).contains("org.voltkeep.safety.hold");

        assertThat(out).as("no image written by a refused build").doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("config", "pool");
        }
    }

    private static Voltkeep.Result build(Path out, String... sources) throws Exception {
        List<String> args = new ArrayList<>(List.of("image", "build", "--dev", "--version", "1.0.0-recovery", "--out",
                out.toString()));
        args.addAll(List.of(sources));
        return Voltkeep.run(QUICK, args.toArray(String[]::new));
    }

    @Test
    void theRecoveryImageRefusesToChargeAndAGoodImageInstalledAfterItCharges(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).as("product image first").isZero();
        Voltkeep.Result installed = Voltkeep.run(QUICK, "init", "--device", device.toString(), "--image",
                recoveryImage().toString());
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
        assertThat(installed.stdout()).contains("-recovery");

        Path log = dir.resolve("recovery.log");
        Process run = Voltkeep.start(log, "run", "--device", device.toString(), "--speed", "5");
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            assertThat(sim.call(Json.object().put("cmd", "watch")).bool("ok")).isTrue();
            ChargerStatus idle = awaitStatus(app, s -> s.link() == LinkState.UP && s.selfTestPassed());
            assertThat(idle.state()).isEqualTo(ChargerState.F);
            assertThat(idle.limitSource()).isEqualTo(LimitSource.NONE);

            assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
            awaitStatus(app, s -> s.cableMilliamps() == 32_000);
            Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "recovery-test"));
            assertThat(auth.bool("ok")).as(auth.write()).isFalse();
            assertThat(auth.string("code")).isEqualTo("NOT_ALLOWED");
            assertThat(auth.string("error")).contains("recovery image");
            Json.Obj limit = app.call(Json.object().put("cmd", "limit").put("claimId", "site").put("amps", 16)
                    .put("priority", 10).put("ttlSeconds", 60));
            assertThat(limit.bool("ok")).as(limit.write()).isFalse();
            assertThat(limit.string("code")).isEqualTo("NOT_ALLOWED");

            // the car stays plugged in; authorize keeps being tried; nothing ever closes
            List<ChargerStatus> seen = new ArrayList<>();
            List<Json.Obj> contactorEvents = new ArrayList<>();
            long end = System.nanoTime() + WATCHED.toNanos();
            while (System.nanoTime() < end) {
                Json.Obj ev = sim.read();
                String kind = ev.string("event", "");
                if (kind.equals("state")) {
                    seen.add(StatusJson.read(ev.obj("status")));
                    assertThat(app.call(Json.object().put("cmd", "authorize").put("idTag", "again")).bool("ok")).isFalse();
                } else if (kind.equals("sim") && ev.string("kind", "").startsWith("CONTACTOR")) {
                    contactorEvents.add(ev);
                }
            }
            assertThat(seen).as("safety kept publishing").hasSizeGreaterThanOrEqualTo(2).allSatisfy(s -> {
                assertThat(s.contactorCommanded()).isFalse();
                assertThat(s.contactorFeedback()).isFalse();
                assertThat(s.authorized()).isFalse();
                assertThat(s.pwmPermille()).isZero();
                assertThat(s.currentMilliamps()).isZero();
            });
            assertThat(contactorEvents).as("the board never saw the contactor move").isEmpty();

            Voltkeep.Result status = Voltkeep.run(QUICK, "status", "--device", device.toString());
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).contains("slot a, image ").contains("-recovery")
                    .contains("limit  0.0 A (NONE)").contains("contactor open").contains("cable 32 A")
                    .contains("self-test passed").doesNotContain("authorized");
            Json.Obj json = Voltkeep.run(QUICK, "status", "--device", device.toString(), "--json").json();
            assertThat(json.obj("slot").string("imageVersion")).endsWith("-recovery");
            assertThat(json.obj("app").obj("status").string("state")).isEqualTo("F");
        } finally {
            run.destroy();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("-recovery").contains("safety domain stopped");

        // a good image installed after the recovery image boots normally and charges
        Voltkeep.Result good = Voltkeep.run(QUICK, "init", "--device", device.toString(), "--image",
                TrustCommandsTest.devImage().toString());
        assertThat(good.exitCode()).as(good.stderr()).isZero();
        // slot a takes the product image; slot r keeps the recovery image
        assertThat(good.stdout()).containsPattern("slot a <- image [^;]*verified").doesNotContainPattern("slot a <- image \\S*-recovery");
        Process again = Voltkeep.start(dir.resolve("product.log"), "run", "--device", device.toString(), "--speed", "5");
        try (Voltkeep.Lines sim = new Voltkeep.Lines(device.resolve("run/sim.sock"), WAIT);
                Voltkeep.Lines app = new Voltkeep.Lines(device.resolve("run/app.sock"), WAIT)) {
            awaitStatus(app, s -> s.link() == LinkState.UP && s.selfTestPassed());
            assertThat(sim.call(Json.object().put("cmd", "plug").put("cable", "A32")).bool("ok")).isTrue();
            Json.Obj auth = app.call(Json.object().put("cmd", "authorize").put("idTag", "after-recovery"));
            assertThat(auth.bool("ok")).as(auth.write()).isTrue();
            ChargerStatus charging = awaitStatus(app, s -> s.contactorFeedback() && s.currentMilliamps() > 0);
            assertThat(charging.state()).isEqualTo(ChargerState.C2);
            // the supervisor records the booted image once both domains are ready (the application
            // domain answers a little earlier)
            Json.Obj json = Voltkeep.run(QUICK, "status", "--device", device.toString(), "--json").json();
            for (long end = System.nanoTime() + WAIT.toNanos(); !json.obj("slot").has("imageVersion") && System.nanoTime() < end; ) {
                Thread.sleep(100);
                json = Voltkeep.run(QUICK, "status", "--device", device.toString(), "--json").json();
            }
            assertThat(json.obj("slot").string("imageVersion")).doesNotContain("recovery");
        } finally {
            again.destroy();
            assertThat(again.waitFor(30, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
        }
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
