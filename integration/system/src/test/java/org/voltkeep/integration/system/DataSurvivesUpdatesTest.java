package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.Migration;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.json.Json;

/**
 * What lives in the data directory survives new images and rollbacks, on a real
 * device directory through the real command line: a device's own configuration
 * is kept when an image with other defaults is installed and at every run, every
 * store the runtime writes carries its version, and after a newer image migrated
 * the session records, this build (the older image) still lists every session.
 */
class DataSurvivesUpdatesTest {
    static final Duration QUICK = Duration.ofSeconds(90);

    /**
     * An image of this build's bundles with other configuration defaults, signed with
     * this build's development PKI: an installation tree whose runtime-config is a
     * changed copy and whose launcher/target is this build's.
     */
    static Path imageWithOtherDefaults(Path work) throws Exception {
        Path home = work.resolve("home");
        Files.createDirectories(home.resolve("launcher"));
        Files.createSymbolicLink(home.resolve("launcher/target"), Voltkeep.root().resolve("launcher/target"));
        copyTree(Voltkeep.root().resolve("runtime-config"), home.resolve("runtime-config"));
        Path app = home.resolve("runtime-config/config/app");
        Path sessions = app.resolve("org.voltkeep.sessions.cfg");
        Files.writeString(sessions, Files.readString(sessions).replace("recentLimit=100", "recentLimit=500"));
        Files.writeString(app.resolve("org.voltkeep.telemetry.cfg"), "# added by the next image\nintervalSeconds=60\n");

        Path image = work.resolve("next.vkimg");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvoltkeep.home=" + home, "-jar", Voltkeep.root().resolve("launcher/target/voltkeep-launcher.jar").toString(),
                "image", "build", "--dev", "--version", "0.2.0", "--security-version", "1", "--out", image.toString()));
        Path log = work.resolve("build.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(QUICK.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            // the link points at this build's output, which the temporary directory's clean-up must not touch
            Files.delete(home.resolve("launcher/target"));
        }
        return image;
    }

    @Test
    void aDevicesOwnConfigurationSurvivesANewImagesDefaultsAndEveryRun(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result init = Voltkeep.run(QUICK, "init", "--device", device.toString());
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        Path sessionsCfg = device.resolve("data/config/app/org.voltkeep.sessions.cfg");
        Path boardCfg = device.resolve("data/config/safety/org.voltkeep.sim.control.cfg");
        Files.writeString(sessionsCfg, Files.readString(sessionsCfg).replace("recentLimit=100", "recentLimit=7")
                + "# the operator keeps fewer sessions in memory\n");
        Files.writeString(boardCfg, Files.readString(boardCfg).replace("hardwareRatingAmps=32", "hardwareRatingAmps=16"));
        byte[] ownSessions = Files.readAllBytes(sessionsCfg);
        byte[] ownBoard = Files.readAllBytes(boardCfg);

        Path next = imageWithOtherDefaults(dir);
        Voltkeep.Result update = Voltkeep.run(QUICK, "init", "--device", device.toString(), "--image", next.toString());

        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(update.stdout()).contains("image 0.2.0");
        assertThat(Files.readAllBytes(sessionsCfg)).as("the device's edit, not the new default").isEqualTo(ownSessions);
        assertThat(Files.readAllBytes(boardCfg)).as("the board file the device edited").isEqualTo(ownBoard);
        assertThat(device.resolve("data/config/app/org.voltkeep.telemetry.cfg")).as("a file the new image adds")
                .content().contains("intervalSeconds=60");
    }

    @Test
    void afterANewerImageMigratedTheSessionsThisBuildStillListsEverySession(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result first = Voltkeep.run(Duration.ofMinutes(3), "demo", "--device", device.toString(), "--speed", "100", "--json");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.json().integer("sessionsRecorded")).isEqualTo(1);
        Path data = device.resolve("data");
        assertThat(version(data.resolve("sessions"), "sessions")).isEqualTo("1.0");
        assertThat(version(data.resolve("config/app"), "config")).isEqualTo("1.0");
        assertThat(version(data.resolve("config/safety"), "config")).isEqualTo("1.0");
        assertThat(version(data.resolve("safety"), "safety")).isEqualTo("1.0");
        assertThat(version(data.resolve("security"), "security-log")).isEqualTo("1.0");
        Json.Obj session = Json.parseObject(Files.readAllLines(data.resolve("sessions/sessions.jsonl")).get(0));

        // a newer image (a test double of the next major of the session store) migrates and records one of its own
        StoreSchema nextMajor = StoreSchema.of("sessions", SchemaVersion.of(2, 0), Migration.of(1, 2, (source, target) -> {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(source.resolve("sessions.jsonl"))) {
                Json.Obj o = Json.parseObject(line);
                out.add(Json.object().put("schemaVersion", 2).put("session", Json.object().put("id", o.integer("sessionId")))
                        .put("energy", Json.object().put("wh", o.integer("energyWh"))).write());
            }
            out.add("{\"schemaVersion\":2,\"session\":{\"id\":999},\"energy\":{\"wh\":1}}");
            Files.write(target.resolve("sessions.jsonl"), out);
        }));
        DataStore.open(data.resolve("sessions"), nextMajor, StoreListener.NONE);

        // rolled back: this build starts on the same data directory
        Voltkeep.Result second = Voltkeep.run(Duration.ofMinutes(3), "demo", "--device", device.toString(), "--speed", "100", "--json");

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.json().integer("sessionsRecorded")).as("the first run's session and this run's").isEqualTo(2);
        List<String> lines = Files.readAllLines(data.resolve("sessions/sessions.jsonl"));
        assertThat(lines).hasSize(2);
        Json.Obj kept = Json.parseObject(lines.get(0));
        assertThat(kept.integer("sessionId")).isEqualTo(session.integer("sessionId"));
        assertThat(kept.integer("energyWh")).isEqualTo(session.integer("energyWh")).isPositive();
        assertThat(data.resolve("sessions.set-aside-v2/sessions.jsonl")).as("the newer image's records are kept")
                .content().contains("\"id\":999");
        assertThat(version(data.resolve("sessions"), "sessions")).as("back to the store this build reads").isEqualTo("1.0");
    }

    static String version(Path store, String name) throws IOException {
        return DataStore.recordedVersion(store, name).map(SchemaVersion::toString).orElse("none");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
