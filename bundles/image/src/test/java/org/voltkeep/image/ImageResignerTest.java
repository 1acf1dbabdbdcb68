package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * Signing an existing image's manifest anew: the input is checked against its own
 * manifest first, only the signature changes, and a refused input writes nothing.
 */
class ImageResignerTest {
    @TempDir
    static Path dir;
    static Fixture fx;
    static SigningKey release;
    static Path unsignedImage;

    @BeforeAll
    static void build() throws Exception {
        fx = new Fixture(dir);
        release = fx.pki.issue("release-signer", SignerProfile.imageSigner(fx.clock).withCommonName("Release Image Signer"));
        unsignedImage = dir.resolve("unsigned.img");
        fx.load(ImageBuilder.unsigned(fx.pki.imageKeys().codeSigners(), fx.pki.anchors())).securityVersion(3).build(unsignedImage);
    }

    private static ImageResigner resigner(SigningKey key) {
        return new ImageResigner(key).clock(fx.clock).anchors(anchors());
    }

    private static List<java.security.cert.X509Certificate> anchors() {
        try {
            return fx.pki.anchors();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path fresh(String name) throws Exception {
        return Files.createDirectories(dir.resolve("out-" + name));
    }

    private static List<String> filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSignedImageGetsTheNewSignerAndNothingElseChanges() throws Exception {
        Path out = fresh("resigned").resolve("release.img");

        ResignedImage r = resigner(release).resign(fx.image, out);

        VerifiedImage v = ImageVerifier.verify(out, fx.policy());
        assertThat(v.imageSignerSubject()).contains("Release Image Signer");
        assertThat(v.imageSignerRole()).isEqualTo(SignerRole.IMAGE_SIGNER);
        assertThat(r.signerSubject()).contains("Release Image Signer");
        assertThat(r.previousSigner()).get().asString().contains("Image Signer").doesNotContain("Release");
        assertThat(r.checkedAgainstAnchors()).isTrue();
        assertThat(r.manifestSha256()).isEqualTo(fx.built.manifestSha256()).isEqualTo(v.manifestSha256());
        ImageForge before = ImageForge.of(fx.imageBytes);
        ImageForge after = ImageForge.of(Files.readAllBytes(out));
        assertThat(after.names()).containsExactlyElementsOf(before.names());
        for (String name : before.names()) {
            if (name.equals(ImageFormat.SIGNATURE)) {
                assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
            } else {
                assertThat(after.get(name)).as(name + " carried over byte for byte").isEqualTo(before.get(name));
            }
        }
    }

    @Test
    void anUnsignedImageIsRefusedByDevicesUntilItIsSigned() throws Exception {
        assertThat(ImageForge.of(Files.readAllBytes(unsignedImage)).names()).doesNotContain(ImageFormat.SIGNATURE)
                .contains(ImageFormat.MANIFEST, ImageFormat.SBOM);
        assertThatThrownBy(() -> ImageVerifier.verify(unsignedImage, fx.policy()))
                .isInstanceOfSatisfying(ImageRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISSING));

        Path out = fresh("from-unsigned").resolve("signed.img");
        ResignedImage r = resigner(release).resign(unsignedImage, out);

        assertThat(r.previousSigner()).isEmpty();
        VerifiedImage v = ImageVerifier.verify(out, fx.policy());
        assertThat(v.imageSignerSubject()).contains("Release Image Signer");
        assertThat(v.bundles()).hasSize(5).allSatisfy(b -> assertThat(b.signerRole()).isEqualTo(SignerRole.codeSignerFor(b.zone())));
    }

    @Test
    void anUnsignedBuildStillRefusesABundleSignedByAnUntrustedKey() throws Exception {
        Map<Zone, SigningKey> code = new EnumMap<>(fx.pki.imageKeys().codeSigners());
        code.put(Zone.CORE, fx.pki.issueUntrusted("untrusted-core-unsigned", SignerProfile.codeSigner(Zone.CORE, fx.clock)));
        Path out = fresh("unsigned-bad").resolve("x.img");

        assertThatThrownBy(() -> fx.load(ImageBuilder.unsigned(code, fx.pki.anchors())).build(out))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("CERT_UNTRUSTED")
                .hasMessageContaining(Fixture.path(BundleDomain.APP, Fixture.CONTRACT)); // the first core-zone bundle
        assertThat(out).doesNotExist();
    }

    /** An input that is not whole by its own manifest: refused with the reason and the entry, and nothing is written. */
    private static void assertRefused(byte[] input, Reason reason, String entry) throws Exception {
        Path d = fresh("refused-" + reason + "-" + Math.abs(entry.hashCode()));
        Path in = d.resolve("in.img");
        Files.write(in, input);
        Path out = d.resolve("out.img");
        Files.writeString(out, "the previous release");

        assertThatThrownBy(() -> resigner(release).resign(in, out))
                .isInstanceOfSatisfying(ImageRejected.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    assertThat(e.entry()).as(e.getMessage()).contains(entry);
                });
        assertThat(Files.readString(out)).as("the existing output is untouched").isEqualTo("the previous release");
        assertThat(filesIn(d)).as("no partial file left").containsExactly("in.img", "out.img");
    }

    @Test
    void aBundleChangedAfterTheBuildIsRefusedByItsHash() throws Exception {
        String core = Fixture.path(BundleDomain.APP, Fixture.CORE);
        ImageForge f = ImageForge.of(fx.imageBytes);
        byte[] jar = f.get(core).clone();
        jar[jar.length / 2] ^= 0x01;
        assertRefused(f.put(core, jar).zip(), Reason.HASH_MISMATCH, core);

        ImageForge u = ImageForge.of(Files.readAllBytes(unsignedImage));
        byte[] ujar = u.get(core).clone();
        ujar[ujar.length / 2] ^= 0x01;
        assertRefused(u.put(core, ujar).zip(), Reason.HASH_MISMATCH, core);
    }

    @Test
    void otherBrokenInputsAreRefusedWithTheirReason() throws Exception {
        String net = Fixture.path(BundleDomain.APP, Fixture.NET);
        byte[] flipped = fx.imageBytes.clone();
        flipped[flipped.length / 2] ^= 0x01;
        ImageRejected asDevice = null;
        try {
            ImageVerifier.verify(flipped, fx.policy());
        } catch (ImageRejected e) {
            asDevice = e;
        }
        assertThat(asDevice).isNotNull();
        assertRefused(flipped, asDevice.reason(), asDevice.entry().orElseThrow());

        assertRefused(ImageForge.of(fx.imageBytes).put(net, new byte[] {1, 2, 3}).zip(), Reason.SIZE_MISMATCH, net);
        assertRefused(ImageForge.of(fx.imageBytes).remove(net).zip(), Reason.ENTRY_MISSING, net);
        assertRefused(ImageForge.of(fx.imageBytes).put("config/app/org.example.extra.cfg", "x=1\n".getBytes(StandardCharsets.UTF_8)).zip(),
                Reason.ENTRY_NOT_LISTED, "config/app/org.example.extra.cfg");
        assertRefused(ImageForge.of(fx.imageBytes).remove(ImageFormat.MANIFEST).zip(), Reason.MANIFEST_MISSING, ImageFormat.MANIFEST);
        ImageForge edited = ImageForge.of(fx.imageBytes);
        String text = edited.manifestText().replace("\"securityVersion\": 3", "\"securityVersion\": 9");
        assertThat(text).isNotEqualTo(edited.manifestText());
        assertRefused(edited.put(ImageFormat.MANIFEST, text.getBytes(StandardCharsets.UTF_8)).zip(), Reason.SIGNATURE_INVALID,
                ImageFormat.SIGNATURE);
    }

    @Test
    void withAnchorsEveryBundleSignatureIsChecked() throws Exception {
        Map<Zone, SigningKey> code = new EnumMap<>(fx.pki.imageKeys().codeSigners());
        code.put(Zone.NETWORK, fx.pki.issueUntrusted("untrusted-net", SignerProfile.codeSigner(Zone.NETWORK, fx.clock)));
        Path d = fresh("untrusted-bundle");
        Path in = d.resolve("in.img");
        // no anchors: the builder keeps and checks nothing, so the untrusted bundle gets in
        fx.builder(new ImageKeys(fx.pki.imageSigner(), code, List.of())).build(in);
        String net = Fixture.path(BundleDomain.APP, Fixture.NET);

        assertRefused(Files.readAllBytes(in), Reason.CERT_UNTRUSTED, net);

        // without anchors only the integrity is checked, and the device refuses the bundle
        Path out = d.resolve("integrity-only.img");
        ResignedImage r = new ImageResigner(release).clock(fx.clock).resign(in, out);
        assertThat(r.checkedAgainstAnchors()).isFalse();
        assertThatThrownBy(() -> ImageVerifier.verify(out, fx.policy()))
                .isInstanceOfSatisfying(ImageRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CERT_UNTRUSTED);
                    assertThat(e.entry()).get().asString().startsWith(net);
                });
    }

    @Test
    void aKeyThatMayNotSignImagesIsRefusedAndNothingIsWritten() throws Exception {
        Path out = fresh("wrong-role").resolve("x.img");

        assertThatThrownBy(() -> resigner(fx.pki.codeSigner(Zone.CORE)).resign(fx.image, out))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("cannot sign images")
                .hasMessageContaining(SignerRole.IMAGE_SIGNER.oid());
        assertThat(out.getParent()).isEmptyDirectory();
    }

    @Test
    void anImageSignerTheAnchorsDoNotTrustIsRefusedWithAnchorsAndRefusedByDevicesWithout() throws Exception {
        SigningKey rogue = fx.pki.issueUntrusted("rogue-image", SignerProfile.imageSigner(fx.clock).withCommonName("Rogue Image Signer"));
        Path d = fresh("rogue");
        Path out = d.resolve("x.img");

        assertThatThrownBy(() -> resigner(rogue).resign(fx.image, out))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("would be rejected").hasMessageContaining("CERT_UNTRUSTED");
        assertThat(d).isEmptyDirectory();

        new ImageResigner(rogue).clock(fx.clock).resign(fx.image, out);
        assertThatThrownBy(() -> ImageVerifier.verify(out, fx.policy()))
                .isInstanceOfSatisfying(ImageRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.CERT_UNTRUSTED));
    }

    @Test
    void anImageCanBeSignedInPlace() throws Exception {
        Path copy = fresh("in-place").resolve("image.img");
        Files.write(copy, fx.imageBytes);

        resigner(release).resign(copy, copy);

        assertThat(ImageVerifier.verify(copy, fx.policy()).imageSignerSubject()).contains("Release Image Signer");
        assertThat(filesIn(copy.getParent())).containsExactly("image.img");
    }

    @Test
    void aMissingInputIsAnIoErrorAndWritesNothing() throws Exception {
        Path d = fresh("missing");
        assertThatThrownBy(() -> resigner(release).resign(d.resolve("nope.img"), d.resolve("out.img")))
                .isInstanceOfSatisfying(ImageRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO_ERROR))
                .hasMessageContaining("nope.img");
        assertThat(d).isEmptyDirectory();
    }
}
