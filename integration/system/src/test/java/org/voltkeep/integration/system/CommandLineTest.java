package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line says what is wrong with bad input, with the documented exit codes, and changes nothing. */
class CommandLineTest {
    static final Duration QUICK = Duration.ofSeconds(60);

    @Test
    void helpListsTheCommands() throws Exception {
        Voltkeep.Result r = Voltkeep.run(QUICK, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("demo", "run", "status", "slots", "init", "provision", "image", "attest", "log");
        Voltkeep.Result demo = Voltkeep.run(QUICK, "demo", "--help");
        assertThat(demo.exitCode()).isZero();
        assertThat(demo.stdout()).contains("--scenario", "--speed", "--json", "--device");
    }

    @Test
    void unknownCommandAndOptionAreUsageErrors() throws Exception {
        Voltkeep.Result r = Voltkeep.run(QUICK, "frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("unknown command 'frobnicate'");
        Voltkeep.Result o = Voltkeep.run(QUICK, "demo", "--sped", "3");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("unknown option --sped");
        Voltkeep.Result s = Voltkeep.run(QUICK, "demo", "--speed", "-3");
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.stderr()).contains("--speed must be a positive number");
    }

    @Test
    void runAndStatusNeedADevice(@TempDir Path dir) throws Exception {
        Voltkeep.Result r = Voltkeep.run(QUICK, "run");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--device DIR is required");
        Voltkeep.Result s = Voltkeep.run(QUICK, "status", "--device", dir.toString());
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.stderr()).contains("no device at");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("nothing written into the directory").isZero();
        }
    }

    @Test
    void statusOfAStoppedDeviceSaysItIsNotRunning(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        Voltkeep.Result s = Voltkeep.run(QUICK, "status", "--device", device.toString());
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.stderr()).contains("not running");
        assertThat(s.stdout()).contains("slot: a");
    }

    @Test
    void aBadScenarioIsRefusedWithItsPathAndNothingStarts(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"bad\", \"timeline\": [ {\"at\": 1, \"do\": \"plug\"} ");
        Voltkeep.Result r = Voltkeep.run(QUICK, "demo", "--scenario", bad.toString(), "--device", dir.resolve("dev").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("bad.json").contains("JSON line 1");
        assertThat(dir.resolve("dev")).doesNotExist();
    }

    @Test
    void aTamperedImageIsRefusedAtBootStartsNothingAndIsLogged(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        Path image = device.resolve("slots/a/image.vkimg");
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 2] ^= 0x01; // one bit, somewhere inside a bundle
        Files.write(image, bytes);
        Voltkeep.Result r = Voltkeep.run(QUICK, "run", "--device", device.toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("slot a rejected");
        assertThat(device.resolve("run/safety.ready")).as("no domain started").doesNotExist();
        String log = Files.readString(device.resolve("data/security/events.jsonl"));
        assertThat(log).contains("\"event\":\"ProvisionedDevice\"").contains("\"event\":\"BootRefused\"");
        Voltkeep.Result verify = Voltkeep.run(QUICK, "log", "verify", "--device", device.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).contains("chain intact");
    }
}
