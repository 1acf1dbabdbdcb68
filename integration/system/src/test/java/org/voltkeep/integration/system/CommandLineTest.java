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
        assertThat(r.stdout()).contains("demo", "run", "status", "init", "provision", "image", "attest", "log", "update", "slots");
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
    void imageSignSaysHowToUseItAndRefusesBadCommandLinesWritingNothing(@TempDir Path dir) throws Exception {
        Voltkeep.Result help = Voltkeep.run(QUICK, "image", "sign", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("voltkeep image sign IMAGE --out FILE KEYS", "--pkcs11-config FILE", "--image-key ALIAS",
                "--certs FILE", "--anchors FILE", "--unsigned");
        assertThat(Voltkeep.run(QUICK, "--help").stdout()).contains("image    build, sign");

        Path in = Voltkeep.root().resolve("launcher/target/voltkeep-dev.vkimg");
        Path out = dir.resolve("signed.vkimg");
        Voltkeep.Result noOut = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--dev");
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.stderr()).contains("image sign: --out FILE is required");
        Voltkeep.Result two = Voltkeep.run(QUICK, "image", "sign", in.toString(), in.toString(), "--out", out.toString(), "--dev");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.stderr()).contains("give one IMAGE to sign (got 2");
        Voltkeep.Result noKeys = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--out", out.toString());
        assertThat(noKeys.exitCode()).isEqualTo(2);
        assertThat(noKeys.stderr()).contains("give exactly one of --dev, --keys DIR or --pkcs11-config FILE");
        Voltkeep.Result alias = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--out", out.toString(), "--dev", "--image-key", "k");
        assertThat(alias.exitCode()).isEqualTo(2);
        assertThat(alias.stderr()).contains("--image-key belongs to keys in a token");
        Voltkeep.Result noAlias = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--out", out.toString(),
                "--pkcs11-config", dir.resolve("token.properties").toString());
        assertThat(noAlias.exitCode()).isEqualTo(2);
        assertThat(noAlias.stderr()).contains("--image-key ALIAS (the token's image signer) is required");
        Voltkeep.Result codeKey = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--out", out.toString(), "--dev",
                "--code-key-core", "k");
        assertThat(codeKey.exitCode()).isEqualTo(2);
        assertThat(codeKey.stderr()).contains("unknown option --code-key-core");
        Voltkeep.Result missingConfig = Voltkeep.run(QUICK, "image", "sign", in.toString(), "--out", out.toString(),
                "--pkcs11-config", dir.resolve("token.properties").toString(), "--image-key", "k");
        assertThat(missingConfig.exitCode()).isEqualTo(1);
        assertThat(missingConfig.stderr()).contains("token.properties does not exist").contains("nothing written");
        Voltkeep.Result missingImage = Voltkeep.run(QUICK, "image", "sign", dir.resolve("nope.vkimg").toString(), "--out", out.toString(),
                "--dev");
        assertThat(missingImage.exitCode()).isEqualTo(1);
        assertThat(missingImage.stderr()).contains("IO_ERROR").contains("nope.vkimg");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("nothing written into the directory").isZero();
        }
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
    void anUpdateOfAStoppedDeviceInstallsAFileDirectlyAndNamesWhatItCannotDo(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        Voltkeep.Result r = Voltkeep.run(QUICK, "update", "install", "--device", device.toString(), dir.resolve("x.vkimg").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("InstallationFailed: no image file at " + dir.resolve("x.vkimg"));
        Voltkeep.Result url = Voltkeep.run(QUICK, "update", "install", "--device", device.toString(), "https://updates.example/x.vkimg");
        assertThat(url.exitCode()).isEqualTo(1);
        assertThat(url.stderr()).contains("is not running").contains("a stopped device takes a FILE, not a URL");
        Voltkeep.Result offline = Voltkeep.run(Duration.ofMinutes(2), "update", "install", "--device", device.toString(),
                Voltkeep.root().resolve("launcher/target/voltkeep-dev.vkimg").toString());
        assertThat(offline.exitCode()).as(offline.stderr()).isZero();
        assertThat(offline.stdout()).contains("into slot b and activated it");
        Voltkeep.Result slots = Voltkeep.run(QUICK, "slots", "--device", device.toString());
        assertThat(slots.stdout()).as("slot b waits for its trial at the next start").containsPattern("b\\s+trial");
        assertThat(Voltkeep.run(QUICK, "update", "install", "--device", device.toString()).exitCode()).isEqualTo(2);
        Voltkeep.Result help = Voltkeep.run(QUICK, "update", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--force", "--json", "InstallScheduled");
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
        // slot r (the recovery image) would take over: tamper with it too, so no slot can boot
        Path recovery = device.resolve("slots/r/image.vkimg");
        byte[] r0 = Files.readAllBytes(recovery);
        r0[r0.length / 2] ^= 0x01;
        Files.write(recovery, r0);
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
