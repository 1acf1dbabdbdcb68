package org.voltkeep.image;

import java.util.Arrays;
import java.util.Objects;

/** A file of a verified image (configuration default or SBOM): its entry name, SHA-256 and the checked bytes. */
public record VerifiedFile(String path, String sha256, byte[] bytes) {

    public VerifiedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        bytes = bytes.clone();
    }

    /** A copy of the checked bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int sizeBytes() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedFile f && f.path.equals(path) && f.sha256.equals(sha256) && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, sha256);
    }

    @Override
    public String toString() {
        return "VerifiedFile[" + path + ", sha256=" + sha256 + ", " + bytes.length + " bytes]";
    }
}
