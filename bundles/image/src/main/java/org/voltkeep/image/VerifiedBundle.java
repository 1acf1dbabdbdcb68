package org.voltkeep.image;

import java.util.Arrays;
import java.util.Objects;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * A bundle of a verified image: the exact bytes that were checked (install these, never
 * the file again), their SHA-256, where it runs, and who signed it with which role.
 */
public record VerifiedBundle(String path, String symbolicName, String version, BundleDomain domain, Zone zone,
        String sha256, byte[] bytes, String signerSubject, SignerRole signerRole) {

    public VerifiedBundle {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(signerSubject, "signerSubject");
        Objects.requireNonNull(signerRole, "signerRole");
        bytes = bytes.clone();
    }

    /** A copy of the checked JAR bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int sizeBytes() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedBundle b && b.path.equals(path) && b.sha256.equals(sha256)
                && b.symbolicName.equals(symbolicName) && b.version.equals(version) && b.domain == domain && b.zone == zone
                && b.signerSubject.equals(signerSubject) && b.signerRole == signerRole && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, sha256);
    }

    @Override
    public String toString() {
        return "VerifiedBundle[" + path + " " + symbolicName + " " + version + ", zone " + zone.id() + ", sha256=" + sha256
                + ", signed by '" + signerSubject + "' as " + signerRole + "]";
    }
}
