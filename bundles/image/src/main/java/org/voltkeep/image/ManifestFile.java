package org.voltkeep.image;

import java.util.Objects;

/** A file the manifest lists (a configuration file or the SBOM): its entry name, SHA-256 and size in bytes. */
public record ManifestFile(String path, String sha256, long sizeBytes) {

    public ManifestFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (!ImageFormat.SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException(path + ": sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(path + ": size " + sizeBytes + " is negative");
        }
    }
}
