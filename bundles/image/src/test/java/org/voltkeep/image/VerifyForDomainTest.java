package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A domain verifies the whole image but checks, and gets, only its own bundles. */
class VerifyForDomainTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheDomainsBundlesAreReturnedAndATamperedOneOfItIsStillCaught() throws Exception {
        Fixture fx = new Fixture(dir);
        Path image = fx.image;
        VerifiedImage all = ImageVerifier.verify(image, fx.policy());
        VerifiedImage app = ImageVerifier.verifyFor(image, fx.policy(), BundleDomain.APP);
        assertThat(app.bundles()).isNotEmpty().allMatch(b -> b.domain() == BundleDomain.APP);
        assertThat(app.bundles()).containsExactlyElementsOf(all.bundles(BundleDomain.APP));
        assertThat(app.manifestSha256()).isEqualTo(all.manifestSha256());

        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 2] ^= 1;
        Path bad = dir.resolve("bad.vkimg");
        Files.write(bad, bytes);
        for (BundleDomain d : BundleDomain.values()) {
            assertThatThrownBy(() -> ImageVerifier.verifyFor(bad, fx.policy(), d))
                    .as("the hash of every entry is checked whatever the domain").isInstanceOf(ImageRejected.class);
        }
    }
}
