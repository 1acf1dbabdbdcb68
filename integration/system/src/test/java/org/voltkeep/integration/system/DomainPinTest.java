package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.internal.ZipArchive;
import org.voltkeep.image.internal.ZipWriter;

/**
 * A domain process installs only the image the launcher verified: it is started with the
 * slot and the SHA-256 of the verified manifest, and refuses (exit 3, nothing installed,
 * the log naming the entry, the process gone) when the slot no longer holds that image: a
 * bundle or the manifest changed after the launcher's check. It checks hashes only: no
 * certificate or CMS code runs in a domain.
 */
class DomainPinTest {
    static final String SAFETY_BUNDLE = "bundles/safety/org.voltkeep.safety.jar";

    @Test
    void aBundleChangedAfterVerificationIsRefusedByTheDomainNamingIt(@TempDir Path dir) throws Exception {
        Path device = initDevice(dir);
        Path slot = device.resolve("slots/a/image.vkimg");
        String pin = manifestSha256(slot);

        Map<String, byte[]> entries = entries(slot);
        byte[] jar = entries.get(SAFETY_BUNDLE).clone();
        jar[jar.length / 2] ^= 0x01; // same size, and the image stays a sound ZIP: only the hash tells
        entries.put(SAFETY_BUNDLE, jar);
        Files.write(slot, zip(entries));

        Run r = domain(device, "safety", pin, List.of());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("boot refused").contains(SAFETY_BUNDLE).contains("SHA-256");
        assertNothingInstalled(device, "safety");
    }

    @Test
    void aChangedManifestIsRefusedEvenWithEveryBundleIntact(@TempDir Path dir) throws Exception {
        Path device = initDevice(dir);
        Path slot = device.resolve("slots/a/image.vkimg");
        String pin = manifestSha256(slot);

        Map<String, byte[]> entries = entries(slot);
        String manifest = new String(entries.get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8);
        entries.put("manifest.json", manifest.replaceFirst("\"securityVersion\": \\d+", "\"securityVersion\": 0")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(slot, zip(entries));

        Run r = domain(device, "app", pin, List.of());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("boot refused").contains("manifest.json").contains(pin);
        assertNothingInstalled(device, "app");

        // and a pin that is not the slot's manifest, on an untouched image
        Path other = initDevice(dir.resolve("other"));
        Run wrong = domain(other, "safety", "0".repeat(64), List.of());
        assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(3);
        assertThat(wrong.output()).contains("manifest.json");
        assertNothingInstalled(other, "safety");
    }

    @Test
    void theVerifiedImageStartsWithoutAnySignatureCodeInTheDomain(@TempDir Path dir) throws Exception {
        Path device = initDevice(dir);
        String pin = manifestSha256(device.resolve("slots/a/image.vkimg"));
        Path classes = dir.resolve("classes.log");

        Process p = new ProcessBuilder(domainCommand(device, "safety", pin, List.of("-Xlog:class+load:file=" + classes)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("domain.out").toFile()).start();
        try {
            Path ready = device.resolve("run/safety.ready");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(ready) && Files.readString(ready).trim().equals(Long.toString(p.pid())))) {
                assertThat(p.isAlive()).as("domain exited: " + Files.readString(dir.resolve("domain.out"))).isTrue();
                assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = Files.readString(dir.resolve("domain.out"));
        assertThat(out).contains("pinned to its verified manifest " + pin.substring(0, 16)).contains("ready:");
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("org.voltkeep.image.PinnedImage");
        assertThat(loaded).doesNotContain("org.bouncycastle").doesNotContain("org.voltkeep.image.internal.SignedJarCheck")
                .doesNotContain("org.voltkeep.image.internal.CertChecks").doesNotContain("org.voltkeep.image.ImageVerifier");
    }

    @Test
    void aDomainNeedsTheSlotAndThePin(@TempDir Path dir) throws Exception {
        Path device = initDevice(dir);
        Run noPin = run(List.of(java(), "-cp", launcherJar(), "org.voltkeep.launcher.DomainMain", "--domain", "safety",
                "--device", device.toString(), "--slot", "a"));
        assertThat(noPin.exitCode()).isEqualTo(2);
        assertThat(noPin.output()).contains("--manifest-sha256");
        Run badSlot = run(List.of(java(), "-cp", launcherJar(), "org.voltkeep.launcher.DomainMain", "--domain", "safety",
                "--device", device.toString(), "--slot", "c", "--manifest-sha256", "0".repeat(64)));
        assertThat(badSlot.exitCode()).isEqualTo(2);
        assertThat(badSlot.output()).contains("slot 'c'");
        assertNothingInstalled(device, "safety");
    }

    /** The framework may have started alongside the check (its own bundle0), but no bundle was installed into it. */
    private static void assertNothingInstalled(Path device, String domain) throws IOException {
        assertThat(device.resolve("run/" + domain + ".ready")).as("never ready").doesNotExist();
        Path storage = device.resolve("run/felix-" + domain);
        if (Files.isDirectory(storage)) {
            try (Stream<Path> s = Files.list(storage)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.matches("bundle[1-9][0-9]*")).toList())
                        .as("bundles installed in " + storage).isEmpty();
            }
        }
    }

    private static Path initDevice(Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result init = Voltkeep.run(java.time.Duration.ofSeconds(90), "init", "--device", device.toString());
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        return device;
    }

    private static String manifestSha256(Path image) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(entries(image).get("manifest.json")));
    }

    private static Map<String, byte[]> entries(Path image) throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        ZipArchive z = ZipArchive.parse(bytes, ZipArchive.Profile.IMAGE, bytes.length, 10_000, bytes.length);
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (ZipArchive.Entry e : z.entries()) {
            m.put(e.name(), z.read(e));
        }
        return m;
    }

    /** The canonical image layout again, CRCs and all: only the changed content differs. */
    private static byte[] zip(Map<String, byte[]> entries) {
        ZipWriter w = new ZipWriter();
        entries.forEach(w::add);
        return w.toByteArray();
    }

    record Run(int exitCode, String output) {
    }

    private static Run domain(Path device, String domain, String pin, List<String> jvm) throws Exception {
        return run(domainCommand(device, domain, pin, jvm));
    }

    private static List<String> domainCommand(Path device, String domain, String pin, List<String> jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", launcherJar(), "org.voltkeep.launcher.DomainMain", "--domain", domain, "--device", device.toString(),
                "--slot", "a", "--manifest-sha256", pin));
        return cmd;
    }

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("domain did not finish: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String launcherJar() {
        return Voltkeep.root().resolve("launcher/target/voltkeep-launcher.jar").toString();
    }
}
