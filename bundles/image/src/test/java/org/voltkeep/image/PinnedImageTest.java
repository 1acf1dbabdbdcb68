package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.ImageRejected.Reason;

/**
 * A domain reads its bundles from the slot after the first stage verified the image, pinned
 * to the verified manifest's SHA-256: it gets exactly the verified bytes, and an image
 * changed in between (a bundle, or the manifest itself) is refused, naming what changed.
 */
class PinnedImageTest {
    static final VerifyPolicy.Limits LIMITS = VerifyPolicy.Limits.DEFAULT;

    @TempDir
    static Path dir;
    static Fixture fx;
    static VerifiedImage verified;

    @BeforeAll
    static void verifyOnce() throws Exception {
        fx = new Fixture(dir);
        verified = ImageVerifier.verify(fx.image, fx.policy());
    }

    @Test
    void eachDomainGetsExactlyItsVerifiedBundlesInManifestOrder() throws Exception {
        for (BundleDomain d : BundleDomain.values()) {
            PinnedImage pinned = PinnedImage.read(fx.image, verified.manifestSha256(), d, LIMITS);

            assertThat(pinned.manifestSha256()).isEqualTo(verified.manifestSha256());
            assertThat(pinned.manifest()).isEqualTo(verified.manifest());
            assertThat(pinned.bundles()).extracting(PinnedBundle::path)
                    .containsExactlyElementsOf(verified.bundles(d).stream().map(VerifiedBundle::path).toList());
            for (int i = 0; i < pinned.bundles().size(); i++) {
                PinnedBundle p = pinned.bundles().get(i);
                VerifiedBundle v = verified.bundles(d).get(i);
                assertThat(p.domain()).isEqualTo(d);
                assertThat(p.sha256()).isEqualTo(v.sha256());
                assertThat(p.openStream().readAllBytes()).as(p.path()).isEqualTo(v.bytes());
            }
        }
    }

    @Test
    void aBundleChangedAfterVerificationIsRefusedNamingIt() throws Exception {
        String core = Fixture.path(BundleDomain.APP, Fixture.CORE);
        byte[] jar = ImageForge.of(fx.imageBytes).get(core).clone();
        jar[jar.length / 2] ^= 0x01; // same size; the image's ZIP stays sound (the forge writes fresh CRCs)
        Path changed = write("bundle-changed.vkimg", ImageForge.of(fx.imageBytes).put(core, jar).zip());

        assertThatThrownBy(() -> PinnedImage.read(changed, verified.manifestSha256(), BundleDomain.APP, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.HASH_MISMATCH);
                    assertThat(r.entry()).contains(core);
                    assertThat(r.getMessage()).contains(core).contains("verified manifest");
                });
        // the safety domain reads none of the application's bundles
        assertThat(PinnedImage.read(changed, verified.manifestSha256(), BundleDomain.SAFETY, LIMITS).bundles())
                .hasSameSizeAs(verified.bundles(BundleDomain.SAFETY));
    }

    @Test
    void aBundleOfAnotherSizeOrMissingIsRefusedNamingIt() throws Exception {
        String safety = Fixture.path(BundleDomain.SAFETY, Fixture.SAFETY);
        byte[] jar = ImageForge.of(fx.imageBytes).get(safety);
        Path longer = write("bundle-longer.vkimg", ImageForge.of(fx.imageBytes).put(safety, Arrays.copyOf(jar, jar.length + 1)).zip());
        assertThatThrownBy(() -> PinnedImage.read(longer, verified.manifestSha256(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.SIZE_MISMATCH);
                    assertThat(r.entry()).contains(safety);
                });
        Path missing = write("bundle-missing.vkimg", ImageForge.of(fx.imageBytes).remove(safety).zip());
        assertThatThrownBy(() -> PinnedImage.read(missing, verified.manifestSha256(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.ENTRY_MISSING);
                    assertThat(r.entry()).contains(safety);
                });
    }

    @Test
    void anotherManifestEvenAValidlySignedOneIsRefused() throws Exception {
        // a second image, signed by the same image signer, with its bundles' hashes updated:
        // valid on its own, but not the image that was verified
        String core = Fixture.path(BundleDomain.APP, Fixture.CORE);
        ImageForge f = ImageForge.of(fx.imageBytes);
        Map<String, byte[]> entries = TestBundles.entries(f.get(core));
        entries.put("org/example/core/about.txt", "swapped after verification\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ImageManifest m = f.withBundle(f.manifest(), core, TestBundles.rezip(entries));
        Path swapped = write("manifest-swapped.vkimg", f.seal(m, fx.pki.imageSigner(), fx.clock).zip());

        for (BundleDomain d : BundleDomain.values()) {
            assertThatThrownBy(() -> PinnedImage.read(swapped, verified.manifestSha256(), d, LIMITS))
                    .isInstanceOfSatisfying(ImageRejected.class, r -> {
                        assertThat(r.reason()).isEqualTo(Reason.HASH_MISMATCH);
                        assertThat(r.entry()).contains(ImageFormat.MANIFEST);
                        assertThat(r.getMessage()).contains(verified.manifestSha256()).contains("changed after it was verified");
                    });
        }
        // one changed byte of the manifest, with the ZIP kept sound
        byte[] mf = ImageForge.of(fx.imageBytes).get(ImageFormat.MANIFEST).clone();
        mf[mf.length / 2] = (byte) (mf[mf.length / 2] == ' ' ? '\t' : ' ');
        Path edited = write("manifest-edited.vkimg", ImageForge.of(fx.imageBytes).put(ImageFormat.MANIFEST, mf).zip());
        assertThatThrownBy(() -> PinnedImage.read(edited, verified.manifestSha256(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> assertThat(r.entry()).contains(ImageFormat.MANIFEST));
    }

    @Test
    void aBrokenImageOrPinIsRefusedClearly() throws Exception {
        byte[] cut = Arrays.copyOf(fx.imageBytes, fx.imageBytes.length - 10);
        Path truncated = write("truncated.vkimg", cut);
        assertThatThrownBy(() -> PinnedImage.read(truncated, verified.manifestSha256(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.ZIP_MALFORMED));
        assertThatThrownBy(() -> PinnedImage.read(dir.resolve("absent.vkimg"), verified.manifestSha256(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOfSatisfying(ImageRejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.IO_ERROR));
        assertThatThrownBy(() -> PinnedImage.read(fx.image, verified.manifestSha256().toUpperCase(), BundleDomain.SAFETY, LIMITS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 lower-case hex");
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
