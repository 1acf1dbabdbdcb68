package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.testing.TestPki;

/**
 * A release pipeline with its keys in a real PKCS#11 token (SoftHSM2), through the real
 * command line: the keys are generated inside the token (one with {@code keytool} and
 * SunPKCS11, leaving a placeholder certificate on the token; others with OpenSC's
 * {@code pkcs11-tool}, their certificates then written to the token), certified by a
 * release CA of the test's own, and used by {@code voltkeep image build|sign}. The token
 * lives in a temporary directory: {@code SOFTHSM2_CONF} is given to each process started.
 */
class ImageSignTest {
    static final Duration SLOW = Duration.ofSeconds(240);
    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String PIN = "release-pin-2468";

    @TempDir
    static Path dir;
    static Map<String, String> env;
    static long slot;
    static Path tokenConfig;
    static Path certs;
    static Path releaseAnchors;
    static Path bothAnchors;
    static Path otherAnchors;

    @BeforeAll
    static void releaseTokenWithKeys() throws Exception {
        assertThat(LIBRARY).as("SoftHSM2 is installed (Debian package softhsm2)").exists();
        Path softhsm = Files.createDirectories(dir.resolve("softhsm"));
        Path tokens = Files.createDirectories(softhsm.resolve("tokens"));
        Path conf = Files.writeString(softhsm.resolve("softhsm2.conf"),
                "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        env = Map.of("SOFTHSM2_CONF", conf.toString());
        String init = tool("softhsm2-util", "--init-token", "--free", "--label", "voltkeep-release", "--so-pin", "so-1357", "--pin", PIN);
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(init);
        assertThat(m.find()).as(init).isTrue();
        slot = Long.parseLong(m.group(1));

        Path pinFile = Files.writeString(dir.resolve("release.pin"), PIN + "\n");
        Files.setPosixFilePermissions(pinFile, PosixFilePermissions.fromString("rw-------"));
        tokenConfig = Files.writeString(dir.resolve("release-token.properties"),
                "library = " + LIBRARY + "\nslot = " + slot + "\npinFile = release.pin\n");

        TestPki release = TestPki.create("Voltkeep Release Root", Clock.systemUTC());
        TestPki.Issued ca = release.intermediate("Voltkeep Release Signing CA");
        releaseAnchors = Files.writeString(dir.resolve("release-anchors.pem"), release.rootPem());
        bothAnchors = Files.writeString(dir.resolve("both-anchors.pem"), Files.readString(devAnchors()) + release.rootPem());
        otherAnchors = Files.writeString(dir.resolve("other-anchors.pem"), TestPki.create("Someone Else's Root", Clock.systemUTC()).rootPem());

        // The image signer, made by keytool through SunPKCS11: the token keeps a self-signed
        // placeholder certificate, and the real chain comes from --certs.
        Path keytoolConfig = Files.writeString(dir.resolve("keytool-pkcs11.cfg"), "name = ReleaseKeytool\nlibrary = " + LIBRARY
                + "\nslot = " + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n");
        List<String> keytool = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-keystore", "NONE",
                "-storetype", "PKCS11", "-providerClass", "sun.security.pkcs11.SunPKCS11", "-providerArg", keytoolConfig.toString(),
                "-storepass", PIN);
        tool(concat(keytool, "-genkeypair", "-alias", "release-image", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=placeholder"));
        X509Certificate placeholder = certificate(tool(concat(keytool, "-exportcert", "-rfc", "-alias", "release-image"))
                .getBytes(StandardCharsets.US_ASCII));
        TestPki.Issued imageSigner = release.leafUnder(ca, "Release Image Signer").publicKey(placeholder.getPublicKey())
                .roles(SignerRole.IMAGE_SIGNER).issue();
        certs = Files.writeString(dir.resolve("release-chain.pem"), TestPki.pem(imageSigner.certificate()) + TestPki.pem(ca.certificate()));

        // The code signers, made by pkcs11-tool; their certificates and the CA's go onto the
        // token, so their chains come from the token itself.
        Path caDer = Files.write(dir.resolve("ca.der"), ca.certificate().getEncoded());
        pkcs11Tool("--write-object", caDer.toString(), "--type", "cert", "--id", "c0", "--label", "release-ca");
        String[][] zones = {{"safety", "a1"}, {"core", "a2"}, {"network", "a3"}};
        for (String[] z : zones) {
            String label = "code-" + z[0];
            pkcs11Tool("--keypairgen", "--key-type", "EC:prime256v1", "--id", z[1], "--label", label);
            Path pub = dir.resolve(label + ".pub.der");
            pkcs11Tool("--read-object", "--type", "pubkey", "--id", z[1], "-o", pub.toString());
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            SignerRole role = SignerRole.valueOf("CODE_" + z[0].toUpperCase(java.util.Locale.ROOT));
            TestPki.Issued code = release.leafUnder(ca, "Release Code Signer " + z[0]).publicKey(key).roles(role).codeSigning(true).issue();
            Path der = Files.write(dir.resolve(label + ".der"), code.certificate().getEncoded());
            pkcs11Tool("--write-object", der.toString(), "--type", "cert", "--id", z[1], "--label", label);
        }
    }

    static Path devImage() {
        return Voltkeep.root().resolve("launcher/target/voltkeep-dev.vkimg");
    }

    static Path devAnchors() {
        return Voltkeep.root().resolve("launcher/target/dev-pki/anchors.pem");
    }

    private static String[] tokenKeys(String... more) {
        List<String> all = new ArrayList<>(List.of("--pkcs11-config", tokenConfig.toString()));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static String[] args(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(new String[0]);
    }

    @Test
    void theTokensImageSignerSignsTheBuildsImageAndOnlyAnchorsTrustingItAcceptIt() throws Exception {
        Path signed = dir.resolve("release-of-dev.vkimg");

        Voltkeep.Result r = Voltkeep.run(SLOW, env, args(new String[] {"image", "sign", devImage().toString(), "--out", signed.toString()},
                tokenKeys("--image-key", "release-image", "--certs", certs.toString(), "--anchors", bothAnchors.toString())));

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("signed: " + signed).contains("Release Image Signer").contains("slot " + slot)
                .contains("replaced the signature of").contains("Voltkeep Dev Image Signer")
                .contains("every bundle's signature, chain and role, and the signed image");
        Voltkeep.Result ok = Voltkeep.run(SLOW, "image", "verify", signed.toString(), "--anchors", bothAnchors.toString(), "--json");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.json().bool("valid")).isTrue();
        Voltkeep.Result dev = Voltkeep.run(SLOW, "image", "verify", devImage().toString(), "--anchors", bothAnchors.toString(), "--json");
        assertThat(ok.json().string("manifestSha256")).as("the manifest itself is unchanged").isEqualTo(dev.json().string("manifestSha256"));

        Voltkeep.Result oldRoot = Voltkeep.run(SLOW, "image", "verify", signed.toString(), "--anchors", devAnchors().toString(), "--json");
        assertThat(oldRoot.exitCode()).isEqualTo(1);
        assertThat(oldRoot.json().string("reason")).isEqualTo("CERT_UNTRUSTED");
        assertThat(oldRoot.json().string("entry")).as("the bundles are fine; the new signer is not trusted").isEqualTo("manifest.json.p7s");
        Voltkeep.Result other = Voltkeep.run(SLOW, "image", "verify", signed.toString(), "--anchors", otherAnchors.toString());
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("CERT_UNTRUSTED");

        // every private key on the token, the image signer's among them, is one the token never gives out, as OpenSC sees it
        String[] privateKeys = pkcs11Tool("--list-objects").split("Private Key Object");
        assertThat(privateKeys).hasSize(5);
        for (int i = 1; i < privateKeys.length; i++) {
            assertThat(privateKeys[i].split("Object;")[0]).contains("sensitive").contains("never extractable");
        }
    }

    @Test
    void aTamperedImageIsRefusedWithTheReasonAndNothingIsWritten() throws Exception {
        Path work = Files.createDirectories(dir.resolve("tampered"));
        Path tampered = work.resolve("tampered.vkimg");
        String bundle = tamperOneBundle(devImage(), tampered);
        Path out = work.resolve("signed.vkimg");

        Voltkeep.Result r = Voltkeep.run(SLOW, env, args(new String[] {"image", "sign", tampered.toString(), "--out", out.toString()},
                tokenKeys("--image-key", "release-image", "--certs", certs.toString())));

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("refused " + tampered).contains("HASH_MISMATCH").contains(bundle).contains("nothing written");
        assertThat(out).doesNotExist();
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no partial file").containsExactly("tampered.vkimg");
        }
    }

    @Test
    void aPipelineBuildsWithTheTokensCodeSignersUnsignedAndTheReleaseStepSignsIt() throws Exception {
        Path unsigned = dir.resolve("ci.vkimg");
        Voltkeep.Result build = Voltkeep.run(SLOW, env, args(new String[] {"image", "build", "--unsigned", "--version", "2.0.0",
                "--security-version", "2", "--out", unsigned.toString()}, tokenKeys("--code-key-safety", "code-safety",
                "--code-key-core", "code-core", "--code-key-network", "code-network", "--anchors", releaseAnchors.toString())));
        assertThat(build.exitCode()).as(build.stdout() + build.stderr()).isZero();
        assertThat(build.stdout()).contains("manifest left unsigned");
        Voltkeep.Result notYet = Voltkeep.run(SLOW, "image", "verify", unsigned.toString(), "--anchors", releaseAnchors.toString());
        assertThat(notYet.exitCode()).isEqualTo(1);
        assertThat(notYet.stderr()).contains("SIGNATURE_MISSING");

        Voltkeep.Result wrongKey = Voltkeep.run(SLOW, env, args(new String[] {"image", "sign", unsigned.toString(), "--out",
                dir.resolve("wrong.vkimg").toString()}, tokenKeys("--image-key", "code-core")));
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.stderr()).contains("Release Code Signer core").contains("cannot sign images");
        assertThat(dir.resolve("wrong.vkimg")).doesNotExist();

        Path release = dir.resolve("release.vkimg");
        Voltkeep.Result sign = Voltkeep.run(SLOW, env, args(new String[] {"image", "sign", unsigned.toString(), "--out", release.toString()},
                tokenKeys("--image-key", "release-image", "--certs", certs.toString(), "--anchors", releaseAnchors.toString())));
        assertThat(sign.exitCode()).as(sign.stdout() + sign.stderr()).isZero();
        assertThat(sign.stdout()).contains("the input was unsigned");

        Voltkeep.Result ok = Voltkeep.run(SLOW, "image", "verify", release.toString(), "--anchors", releaseAnchors.toString(), "--json");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        Json.Obj v = ok.json();
        assertThat(v.string("version")).isEqualTo("2.0.0");
        assertThat(v.arr("bundles").size()).isGreaterThan(40);
        Voltkeep.Result devRoot = Voltkeep.run(SLOW, "image", "verify", release.toString(), "--anchors", devAnchors().toString());
        assertThat(devRoot.exitCode()).isEqualTo(1);
    }

    /**
     * Copies {@code image} with one byte of a bundle's data changed and the ZIP's CRC fields
     * fixed to match, so the ZIP is sound and only the manifest's hash can tell.
     *
     * @return the entry name of the changed bundle
     */
    static String tamperOneBundle(Path image, Path copy) throws IOException {
        byte[] b = Files.readAllBytes(image);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (buf.getInt(pos) == 0x04034b50) {
            int size = buf.getInt(pos + 18);
            int nameLen = Short.toUnsignedInt(buf.getShort(pos + 26));
            int extraLen = Short.toUnsignedInt(buf.getShort(pos + 28));
            String name = new String(b, pos + 30, nameLen, StandardCharsets.UTF_8);
            int data = pos + 30 + nameLen + extraLen;
            if (name.startsWith("bundles/app/")) {
                b[data + size / 2] ^= 0x01;
                CRC32 crc = new CRC32();
                crc.update(b, data, size);
                buf.putInt(pos + 14, (int) crc.getValue());
                int cd = buf.getInt(b.length - 22 + 16);
                while (buf.getInt(cd) == 0x02014b50) {
                    int n = Short.toUnsignedInt(buf.getShort(cd + 28));
                    if (new String(b, cd + 46, n, StandardCharsets.UTF_8).equals(name)) {
                        buf.putInt(cd + 16, (int) crc.getValue());
                        Files.write(copy, b);
                        return name;
                    }
                    cd += 46 + n + Short.toUnsignedInt(buf.getShort(cd + 30)) + Short.toUnsignedInt(buf.getShort(cd + 32));
                }
                throw new IllegalStateException(name + " has no central directory entry");
            }
            pos = data + size;
        }
        throw new IllegalStateException("no application bundle in " + image);
    }

    private static X509Certificate certificate(byte[] encoded) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static String pkcs11Tool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", LIBRARY.toString(), "--slot", Long.toString(slot),
                "--login", "--pin", PIN));
        cmd.addAll(List.of(args));
        return tool(cmd);
    }

    private static String tool(String... command) throws Exception {
        return tool(List.of(command));
    }

    /** Runs a tool with the token's environment; its output, or the test fails with it. */
    private static String tool(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
