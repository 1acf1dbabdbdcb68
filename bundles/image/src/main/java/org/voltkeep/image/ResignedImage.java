package org.voltkeep.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link ImageResigner#resign(Path, Path)} wrote.
 *
 * @param file            the signed image
 * @param manifest        its manifest (the input's, unchanged)
 * @param manifestSha256  SHA-256 of the manifest's bytes
 * @param signerSubject   the subject of the certificate that signed it now
 * @param previousSigner  the subject of the signature it replaced; empty when the input was unsigned
 * @param checkedAgainstAnchors whether the bundles' signatures and the finished image were verified against trust anchors
 */
public record ResignedImage(Path file, ImageManifest manifest, String manifestSha256, String signerSubject,
        Optional<String> previousSigner, boolean checkedAgainstAnchors) {
}
