package org.voltkeep.image;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.voltkeep.rot.api.SignerRole;

/**
 * An image that passed every check of {@link ImageVerifier}. Only the verifier makes
 * these in normal use; its bundles' bytes are the ones that were checked.
 *
 * @param manifest           the signed manifest
 * @param manifestSha256     SHA-256 of the manifest's exact bytes (what attestation reports)
 * @param bundles            every bundle, in manifest order
 * @param config             configuration defaults, in manifest order
 * @param sbom               the SBOM
 * @param imageSignerSubject subject of the certificate that signed the manifest
 * @param imageSignerRole    its role ({@link SignerRole#IMAGE_SIGNER}, or {@link SignerRole#DEVELOPER} in development trust)
 */
public record VerifiedImage(ImageManifest manifest, String manifestSha256, List<VerifiedBundle> bundles,
        List<VerifiedFile> config, VerifiedFile sbom, String imageSignerSubject, SignerRole imageSignerRole) {

    public VerifiedImage {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        bundles = List.copyOf(bundles);
        config = List.copyOf(config);
        Objects.requireNonNull(sbom, "sbom");
        Objects.requireNonNull(imageSignerSubject, "imageSignerSubject");
        Objects.requireNonNull(imageSignerRole, "imageSignerRole");
    }

    /** The bundles of one domain, in manifest order (the install order). */
    public List<VerifiedBundle> bundles(BundleDomain domain) {
        return bundles.stream().filter(b -> b.domain() == domain).toList();
    }

    /** The configuration files of one domain. */
    public List<VerifiedFile> config(BundleDomain domain) {
        String prefix = "config/" + domain.id() + "/";
        return config.stream().filter(f -> f.path().startsWith(prefix)).toList();
    }

    /** Whether anything in this image was accepted only because the device is in development trust. */
    public boolean developmentSigned() {
        return Stream.concat(Stream.of(imageSignerRole), bundles.stream().map(VerifiedBundle::signerRole))
                .anyMatch(r -> r == SignerRole.DEVELOPER);
    }
}
