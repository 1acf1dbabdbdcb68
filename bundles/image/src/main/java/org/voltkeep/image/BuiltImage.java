package org.voltkeep.image;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ImageBuilder#build(Path)} wrote.
 *
 * @param file           the image file
 * @param manifest       its manifest
 * @param manifestSha256 SHA-256 of the manifest's bytes
 * @param keptAsSigned   entry names of bundles that were already signed for their zone and kept byte for byte
 */
public record BuiltImage(Path file, ImageManifest manifest, String manifestSha256, List<String> keptAsSigned) {

    public BuiltImage {
        keptAsSigned = List.copyOf(keptAsSigned);
    }
}
