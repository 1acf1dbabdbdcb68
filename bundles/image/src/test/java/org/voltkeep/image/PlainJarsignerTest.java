package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * A JAR signed by the JDK's plain {@code jarsigner} tool, with a key of the development
 * PKI, is an ordinary bundle to the image: accepted as it is. The same JAR with one class
 * changed is refused, naming the bundle and the class.
 */
class PlainJarsignerTest {
    static final String TOOL = "org.example.tool";
    static final String PATH = "bundles/app/org.example.tool.jar";

    @TempDir
    static Path dir;
    static Fixture fx;
    static Path signedJar;
    static BuiltImage built;

    @BeforeAll
    static void signWithJarsigner() throws Exception {
        fx = new Fixture(dir);
        Path unsigned = dir.resolve("tool.jar");
        Files.write(unsigned, TestBundles.bundle(TOOL, "1.0.0"));
        signedJar = dir.resolve("tool-signed.jar");
        Tools.Run r = Tools.run(List.of(Tools.jdkTool("jarsigner").toString(),
                "-keystore", fx.pki.keyStoreFile().toString(), "-storetype", "PKCS12",
                "-storepass", new String(fx.pki.password()),
                "-digestalg", "SHA-256", "-sigalg", "SHA256withECDSA",
                "-signedjar", signedJar.toString(), unsigned.toString(), DevPki.codeSignerAlias(Zone.CORE)));
        assertThat(r.exitCode()).as(r.output()).isZero();
        built = new ImageBuilder(fx.pki.imageKeys()).clock(fx.clock).workDir(dir.resolve("work"))
                .compatible(Fixture.COMPATIBLE).version("1.0.0")
                .bundle(signedJar, BundleDomain.APP, Zone.CORE)
                .build(dir.resolve("tool.img"));
    }

    @Test
    void jarsignerSignedJarIsKeptAsItIsAndAccepted() throws Exception {
        assertThat(built.keptAsSigned()).containsExactly(PATH);

        VerifiedImage v = ImageVerifier.verify(built.file(), fx.policy());

        VerifiedBundle b = v.bundles().get(0);
        assertThat(b.path()).isEqualTo(PATH);
        assertThat(b.bytes()).isEqualTo(Files.readAllBytes(signedJar));
        assertThat(b.signerRole()).isEqualTo(SignerRole.CODE_CORE);
        // jarsigner put the whole chain, root included, into the signature block: still accepted
        assertThat(TestBundles.entries(b.bytes())).containsKey("META-INF/CODE-COR.EC");
    }

    @Test
    void sameJarWithOneClassChangedIsRejectedNamingBundleAndClass() throws Exception {
        Map<String, byte[]> entries = TestBundles.entries(Files.readAllBytes(signedJar));
        byte[] cls = entries.get("org/example/tool/Main.class").clone();
        cls[cls.length / 2] ^= 0x01;
        entries.put("org/example/tool/Main.class", cls);
        byte[] tampered = TestBundles.rezip(entries);

        ImageForge forge = ImageForge.of(Files.readAllBytes(built.file()));
        ImageManifest m = forge.withBundle(forge.manifest(), PATH, tampered);
        byte[] image = forge.seal(m, fx.pki.imageSigner(), fx.clock).zip();

        assertThatThrownBy(() -> ImageVerifier.verify(image, fx.policy()))
                .isInstanceOfSatisfying(ImageRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(ImageRejected.Reason.BUNDLE_TAMPERED);
                    assertThat(r.entry()).contains(PATH + "!/org/example/tool/Main.class");
                    assertThat(r.getMessage()).contains(PATH).contains("org/example/tool/Main.class");
                });
    }

    @Test
    void jarsignerItselfSeesTheTamperingToo() throws Exception {
        Map<String, byte[]> entries = TestBundles.entries(Files.readAllBytes(signedJar));
        byte[] cls = entries.get("org/example/tool/Main.class").clone();
        cls[10] ^= 0x01;
        entries.put("org/example/tool/Main.class", cls);
        Path tampered = dir.resolve("tampered.jar");
        Files.write(tampered, TestBundles.rezip(entries));

        Tools.Run r = Tools.run(List.of(Tools.jdkTool("jarsigner").toString(), "-verify", tampered.toString()));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("org/example/tool/Main.class");
    }
}
