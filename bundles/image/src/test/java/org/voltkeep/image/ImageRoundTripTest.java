package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

class ImageRoundTripTest {
    @TempDir
    static Path dir;
    static Fixture fx;

    @BeforeAll
    static void build() throws Exception {
        fx = new Fixture(dir);
    }

    @Test
    void goodImageVerifiesAndHandsBackTheSignedBundles() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy());

        assertThat(v.manifest().compatible()).isEqualTo("voltkeep-sim");
        assertThat(v.manifest().version()).isEqualTo("1.2.0");
        assertThat(v.manifest().securityVersion()).isEqualTo(3);
        assertThat(v.bundles(BundleDomain.SAFETY)).extracting(VerifiedBundle::symbolicName)
                .containsExactly(Fixture.SAFETY, Fixture.CONTRACT);
        assertThat(v.bundles(BundleDomain.APP)).extracting(VerifiedBundle::symbolicName)
                .containsExactly(Fixture.CONTRACT, Fixture.CORE, Fixture.NET);
        assertThat(v.imageSignerRole()).isEqualTo(SignerRole.IMAGE_SIGNER);
        assertThat(v.developmentSigned()).isFalse();

        try (ZipFile zip = new ZipFile(fx.image.toFile())) {
            assertThat(v.manifestSha256()).isEqualTo(Hashes.sha256Hex(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes()));
            for (VerifiedBundle b : v.bundles()) {
                byte[] inImage = zip.getInputStream(zip.getEntry(b.path())).readAllBytes();
                assertThat(b.bytes()).as(b.path()).isEqualTo(inImage);
                assertThat(b.sha256()).isEqualTo(Hashes.sha256Hex(inImage));
                assertThat(b.signerRole()).isEqualTo(SignerRole.codeSignerFor(b.zone()));
                assertThat(b.signerSubject()).contains("Code Signer " + b.zone().id());
                // the signed JAR is the input plus signature files, entry for entry
                Map<String, byte[]> signed = TestBundles.entries(b.bytes());
                Map<String, byte[]> input = TestBundles.entries(Files.readAllBytes(fx.jar(b.symbolicName())));
                for (Map.Entry<String, byte[]> e : input.entrySet()) {
                    if (!e.getKey().equals("META-INF/MANIFEST.MF")) {
                        assertThat(signed.get(e.getKey())).as(b.path() + "!/" + e.getKey()).isEqualTo(e.getValue());
                    }
                }
                assertThat(signed).containsKey("META-INF/" + ImageBuilder.signerName(b.zone()) + ".SF");
            }
        }
        assertThat(v.config(BundleDomain.SAFETY)).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("config/safety/org.example.safety.cfg");
            assertThat(new String(f.bytes(), StandardCharsets.UTF_8)).isEqualTo("maxCurrentAmps=32\n");
        });
        assertThat(v.config(BundleDomain.APP)).extracting(VerifiedFile::path).containsExactly("config/app/org.example.core.cfg");
    }

    @Test
    void jarsignerAcceptsEveryBundleInside() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy());
        Path out = Files.createDirectories(dir.resolve("extracted"));
        for (VerifiedBundle b : v.bundles()) {
            Path jar = out.resolve(b.domain().id() + "-" + b.symbolicName() + ".jar");
            Files.write(jar, b.bytes());
            // -strict turns warnings into errors; the PKI's key store lets jarsigner build the chain to the root
            Tools.Run r = Tools.run(List.of(Tools.jdkTool("jarsigner").toString(), "-verify", "-strict",
                    "-keystore", fx.pki.keyStoreFile().toString(), "-storetype", "PKCS12",
                    "-storepass", new String(fx.pki.password()), jar.toString()));
            assertThat(r.exitCode()).as(b.path() + ": " + r.output()).isZero();
            assertThat(r.output()).as(b.path()).contains("jar verified");
        }
    }

    @Test
    void bundlesAlreadySignedForTheirZoneAreKeptByteForByte() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy());
        Path again = Files.createDirectories(dir.resolve("again"));
        ImageBuilder b = new ImageBuilder(fx.pki.imageKeys()).clock(fx.clock).workDir(dir.resolve("work"))
                .compatible(Fixture.COMPATIBLE).version("1.2.1");
        for (VerifiedBundle vb : v.bundles()) {
            Path jar = again.resolve(vb.domain().id() + "-" + vb.symbolicName() + ".jar");
            Files.write(jar, vb.bytes());
            b.bundle(jar, vb.domain(), vb.zone());
        }
        BuiltImage second = b.build(dir.resolve("again.img"));

        assertThat(second.keptAsSigned()).containsExactlyElementsOf(v.bundles().stream().map(VerifiedBundle::path).toList());
        VerifiedImage v2 = ImageVerifier.verify(second.file(), fx.policy());
        for (int i = 0; i < v.bundles().size(); i++) {
            assertThat(v2.bundles().get(i).sha256()).isEqualTo(v.bundles().get(i).sha256());
        }
    }

    @Test
    void developerSignedImageIsAcceptedOnlyInDevelopmentTrust() throws Exception {
        BuiltImage dev = fx.builder(fx.pki.developerKeys()).build(dir.resolve("dev.img"));

        VerifiedImage v = ImageVerifier.verify(dev.file(), fx.policy().withTrustMode(TrustMode.DEVELOPMENT));
        assertThat(v.developmentSigned()).isTrue();
        assertThat(v.imageSignerRole()).isEqualTo(SignerRole.DEVELOPER);
        assertThat(v.bundles()).allSatisfy(b -> assertThat(b.signerRole()).isEqualTo(SignerRole.DEVELOPER));

        assertThatThrownBy(() -> ImageVerifier.verify(dev.file(), fx.policy()))
                .isInstanceOfSatisfying(ImageRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(ImageRejected.Reason.DEVELOPMENT_SIGNER);
                    assertThat(r.entry()).contains(ImageFormat.SIGNATURE);
                    assertThat(r.getMessage()).contains("development trust");
                });
    }

    @Test
    void productionImageIsAlsoAcceptedInDevelopmentTrust() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy().withTrustMode(TrustMode.DEVELOPMENT));
        assertThat(v.developmentSigned()).isFalse();
    }

    @Test
    void builderRefusesAKeyWhoseRoleDoesNotAllowTheZone() throws Exception {
        Map<Zone, SigningKey> code = new EnumMap<>(Zone.class);
        code.put(Zone.SAFETY, fx.pki.codeSigner(Zone.SAFETY));
        code.put(Zone.CORE, fx.pki.codeSigner(Zone.NETWORK));
        code.put(Zone.NETWORK, fx.pki.codeSigner(Zone.NETWORK));
        ImageKeys wrong = new ImageKeys(fx.pki.imageSigner(), code, fx.pki.anchors());
        Path out = dir.resolve("wrong-role.img");

        assertThatThrownBy(() -> fx.builder(wrong).build(out))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("CERT_WRONG_ROLE")
                .hasMessageContaining("bundles/app/org.example.contract.jar")
                .hasMessageContaining("zone core");
        assertThat(out).doesNotExist();
    }

    @Test
    void builderRefusesToSignOverATamperedSignedJar() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy());
        VerifiedBundle core = v.bundles().stream().filter(b -> b.symbolicName().equals(Fixture.CORE)).findFirst().orElseThrow();
        Map<String, byte[]> entries = TestBundles.entries(core.bytes());
        entries.put("org/example/core/about.txt", "changed\n".getBytes(StandardCharsets.UTF_8));
        Path tampered = dir.resolve("tampered-core.jar");
        Files.write(tampered, TestBundles.rezip(entries));

        ImageBuilder b = new ImageBuilder(fx.pki.imageKeys()).clock(fx.clock).workDir(dir.resolve("work"))
                .compatible(Fixture.COMPATIBLE).version("1.0.0").bundle(tampered, BundleDomain.APP, Zone.CORE);
        assertThatThrownBy(() -> b.build(dir.resolve("never.img")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("broken signature")
                .hasMessageContaining("org/example/core/about.txt");
    }

    @Test
    void builderRefusesAJarThatIsNotABundle() throws Exception {
        Path plain = dir.resolve("plain.jar");
        Files.write(plain, TestBundles.rezip(Map.of("a.txt", new byte[] {1})));
        ImageBuilder b = new ImageBuilder(fx.pki.imageKeys()).clock(fx.clock).workDir(dir.resolve("work"))
                .compatible(Fixture.COMPATIBLE).version("1.0.0").bundle(plain, BundleDomain.APP, Zone.CORE);
        assertThatThrownBy(() -> b.build(dir.resolve("never2.img")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("plain.jar");
    }

    @Test
    void sbomIsCycloneDx15ListingEveryBundleWithItsHash() throws Exception {
        VerifiedImage v = ImageVerifier.verify(fx.image, fx.policy());
        Json.Obj sbom = Json.parseObject(new String(v.sbom().bytes(), StandardCharsets.UTF_8));

        assertThat(sbom.string("bomFormat")).isEqualTo("CycloneDX");
        assertThat(sbom.string("specVersion")).isEqualTo("1.5");
        assertThat(sbom.string("serialNumber")).startsWith("urn:uuid:");
        Json.Arr comps = sbom.arr("components");
        assertThat(comps.size()).isEqualTo(v.bundles().size());
        for (int i = 0; i < comps.size(); i++) {
            Json.Obj c = comps.obj(i);
            VerifiedBundle b = v.bundles().get(i);
            assertThat(c.string("bom-ref")).isEqualTo(b.path());
            assertThat(c.string("name")).isEqualTo(b.symbolicName());
            assertThat(c.arr("hashes").obj(0).string("content")).isEqualTo(b.sha256());
            assertThat(c.string("purl")).isEqualTo("pkg:maven/org.example/" + b.symbolicName() + "@" + b.version());
        }
    }

    @Test
    void manifestRoundTripsThroughItsJson() throws Exception {
        ImageManifest m = fx.built.manifest();
        assertThat(ImageManifest.parse(m.toJsonBytes())).isEqualTo(m);
        assertThat(fx.built.manifestSha256()).isEqualTo(Hashes.sha256Hex(m.toJsonBytes()));
    }

    @Test
    void theVerifiedBytesCannotBeChangedFromOutside() throws Exception {
        byte[] image = fx.imageBytes.clone();
        VerifiedImage v = ImageVerifier.verify(image, fx.policy());
        VerifiedBundle first = v.bundles().get(0);
        byte[] checked = first.bytes();

        // the caller's array, and a copy handed out, are not what the result holds
        java.util.Arrays.fill(image, (byte) 0);
        first.bytes()[0] ^= 1;

        assertThat(first.bytes()).isEqualTo(checked);
        assertThat(first.openStream().readAllBytes()).isEqualTo(checked);
        assertThat(Hashes.sha256Hex(checked)).isEqualTo(first.sha256());
    }

    @Test
    void imageIsCanonicalStoredZip() throws Exception {
        // the layout the strict reader demands: entries back to back, stored, in manifest-first order
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(fx.image.toFile())) {
            zip.stream().forEach(e -> {
                assertThat(e.getMethod()).as(e.getName()).isEqualTo(java.util.zip.ZipEntry.STORED);
                names.add(e.getName());
            });
        }
        assertThat(names).startsWith(ImageFormat.MANIFEST, ImageFormat.SIGNATURE).endsWith(ImageFormat.SBOM).hasSize(10);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        again.writeBytes(ImageForge.of(fx.imageBytes).zip());
        assertThat(again.toByteArray()).isEqualTo(fx.imageBytes);
    }
}
