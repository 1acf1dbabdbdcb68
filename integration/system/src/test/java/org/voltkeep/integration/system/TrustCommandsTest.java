package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;

/**
 * The root-of-trust commands as a pipeline or a service technician uses them: image
 * verify, provision, attest and attest verify, log verify, decommission.
 */
class TrustCommandsTest {
    static final Duration QUICK = Duration.ofSeconds(90);

    static Path devImage() {
        return Voltkeep.root().resolve("launcher/target/voltkeep-dev.vkimg");
    }

    static Path devAnchors() {
        return Voltkeep.root().resolve("launcher/target/dev-pki/anchors.pem");
    }

    @Test
    void imageVerifyAcceptsTheBuildsImageAndNamesWhatIsWrongWithATamperedOne(@TempDir Path dir) throws Exception {
        Voltkeep.Result ok = Voltkeep.run(QUICK, "image", "verify", devImage().toString(), "--anchors", devAnchors().toString(), "--json");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        Json.Obj summary = ok.json();
        assertThat(summary.bool("valid")).isTrue();
        assertThat(summary.arr("bundles").size()).isGreaterThan(40);

        Path bad = dir.resolve("bad.vkimg");
        byte[] bytes = Files.readAllBytes(devImage());
        bytes[bytes.length / 3] ^= 0x20;
        Files.write(bad, bytes);
        Voltkeep.Result no = Voltkeep.run(QUICK, "image", "verify", bad.toString(), "--anchors", devAnchors().toString(), "--json");
        assertThat(no.exitCode()).isEqualTo(1);
        Json.Obj why = no.json();
        assertThat(why.bool("valid")).isFalse();
        assertThat(why.string("reason")).isNotEmpty();
        assertThat(no.stderr()).contains("invalid: " + bad);

        Voltkeep.Result floor = Voltkeep.run(QUICK, "image", "verify", devImage().toString(), "--anchors", devAnchors().toString(),
                "--floor", "5");
        assertThat(floor.exitCode()).isEqualTo(1);
        assertThat(floor.stderr()).containsIgnoringCase("security version");

        Voltkeep.Result board = Voltkeep.run(QUICK, "image", "verify", devImage().toString(), "--anchors", devAnchors().toString(),
                "--board", "pi4j");
        assertThat(board.exitCode()).isEqualTo(1);
        assertThat(board.stderr()).contains("voltkeep-pi4j");
    }

    @Test
    void provisionRefusesToOverwriteAndAttestationVerifiesWithTheDeviceKeyAndNonce(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result p = Voltkeep.run(QUICK, "provision", "--device", device.toString(), "--anchors", devAnchors().toString(),
                "--trust", "development");
        assertThat(p.exitCode()).as(p.stderr()).isZero();
        assertThat(p.stdout()).contains("development trust").contains("device key sha256");
        assertThat(device.resolve("rot/device.csr")).content(StandardCharsets.US_ASCII).contains("BEGIN CERTIFICATE REQUEST");
        String keyBefore = Files.readString(device.resolve("rot/rot.properties"));

        Voltkeep.Result again = Voltkeep.run(QUICK, "provision", "--device", device.toString(), "--anchors", devAnchors().toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("already provisioned");
        assertThat(Files.readString(device.resolve("rot/rot.properties"))).as("nothing changed").isEqualTo(keyBefore);

        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        Path report = dir.resolve("report.json");
        String nonce = "0123456789abcdef0123456789abcdef";
        Voltkeep.Result att = Voltkeep.run(QUICK, "attest", "--device", device.toString(), "--nonce", nonce, "--out", report.toString());
        assertThat(att.exitCode()).as(att.stderr()).isZero();
        Json.Obj r = Json.parseObject(Files.readString(report)).obj("report");
        assertThat(r.string("trustMode")).isEqualTo("development");
        assertThat(r.string("slot")).isEqualTo("a");
        assertThat(r.arr("bundles").size()).isGreaterThan(40);
        Path pub = dir.resolve("device.pub");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + Json.parseObject(Files.readString(report)).string("publicKey")
                + "\n-----END PUBLIC KEY-----\n");
        Voltkeep.Result good = Voltkeep.run(QUICK, "attest", "verify", report.toString(), "--public-key", pub.toString(), "--nonce", nonce);
        assertThat(good.exitCode()).as(good.stdout() + good.stderr()).isZero();
        Voltkeep.Result replay = Voltkeep.run(QUICK, "attest", "verify", report.toString(), "--public-key", pub.toString(),
                "--nonce", "ffffffffffffffffffffffffffffffff");
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.stdout()).contains("nonce");
        String edited = Files.readString(report).replace("\"slot\": \"a\"", "\"slot\": \"b\"");
        Files.writeString(report, edited);
        Voltkeep.Result forged = Voltkeep.run(QUICK, "attest", "verify", report.toString(), "--public-key", pub.toString(), "--nonce", nonce);
        assertThat(forged.exitCode()).isEqualTo(1);

        Voltkeep.Result gone = Voltkeep.run(QUICK, "decommission", "--device", device.toString());
        assertThat(gone.exitCode()).as(gone.stderr()).isZero();
        Voltkeep.Result dead = Voltkeep.run(QUICK, "attest", "--device", device.toString());
        assertThat(dead.exitCode()).isEqualTo(1);
        assertThat(dead.stderr()).contains("decommissioned");
    }

    @Test
    void logVerifyFindsAnEditedRecord(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        assertThat(Voltkeep.run(QUICK, "decommission", "--device", device.toString()).exitCode()).isZero();
        Path log = device.resolve("data/security/events.jsonl");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Voltkeep.run(QUICK, "log", "verify", "--device", device.toString()).exitCode()).isZero();
        lines.set(0, lines.get(0).replace("ProvisionedDevice\",\"detail\":\"provisioned", "ProvisionedDevice\",\"detail\":\"PROVISIONED"));
        Files.write(log, lines);
        Voltkeep.Result r = Voltkeep.run(QUICK, "log", "verify", "--device", device.toString());
        assertThat(r.exitCode()).as(r.stdout()).isEqualTo(1);
        assertThat(r.stdout()).containsIgnoringCase("edited");
    }

    @Test
    void aBadImageChangesNothingOnTheDevice(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        assertThat(Voltkeep.run(QUICK, "init", "--device", device.toString()).exitCode()).isZero();
        Path slotImage = device.resolve("slots/a/image.vkimg");
        byte[] before = Files.readAllBytes(slotImage);
        Path config = device.resolve("data/config/safety/org.voltkeep.safety.cfg");
        Files.writeString(config, Files.readString(config) + "\n# the operator's own note\n");
        String configBefore = Files.readString(config);

        Path bad = dir.resolve("bad.vkimg");
        byte[] bytes = Files.readAllBytes(devImage());
        bytes[bytes.length - 200] ^= 0x04; // the end of the file: the ZIP's central directory
        Files.write(bad, bytes);
        Voltkeep.Result r = Voltkeep.run(QUICK, "init", "--device", device.toString(), "--image", bad.toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("slot a rejected");

        assertThat(Files.readAllBytes(slotImage)).as("slot A still holds the good image").isEqualTo(before);
        assertThat(Files.readString(config)).as("configuration kept").isEqualTo(configBefore);
        try (var slots = Files.list(device.resolve("slots"))) {
            assertThat(slots.map(p -> p.getFileName().toString())).as("no staging left behind (r: the recovery image init installed)").containsExactlyInAnyOrder("a", "b", "r");
        }
        Voltkeep.Result att = Voltkeep.run(QUICK, "attest", "--device", device.toString());
        assertThat(att.exitCode()).as("the device still verifies its slot: " + att.stderr()).isZero();
    }
}
