package org.voltkeep.image;

import java.io.InputStream;
import java.util.Objects;
import org.voltkeep.image.internal.Slice;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * A bundle of a verified image: the exact bytes that were checked (install these, never
 * the file again), their SHA-256, where it runs, and who signed it with which role. Only
 * {@link ImageVerifier} makes these. The bytes stay where the verifier read them, in the
 * image's one copy in memory; nothing can change them.
 */
public final class VerifiedBundle {
    private final String path;
    private final String symbolicName;
    private final String version;
    private final BundleDomain domain;
    private final Zone zone;
    private final String sha256;
    private final Slice bytes;
    private final String signerSubject;
    private final SignerRole signerRole;

    VerifiedBundle(String path, String symbolicName, String version, BundleDomain domain, Zone zone, String sha256, Slice bytes,
            String signerSubject, SignerRole signerRole) {
        this.path = Objects.requireNonNull(path, "path");
        this.symbolicName = Objects.requireNonNull(symbolicName, "symbolicName");
        this.version = Objects.requireNonNull(version, "version");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.signerSubject = Objects.requireNonNull(signerSubject, "signerSubject");
        this.signerRole = Objects.requireNonNull(signerRole, "signerRole");
    }

    /** The entry name in the image ({@code bundles/<domain>/<symbolicName>.jar}). */
    public String path() {
        return path;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public String version() {
        return version;
    }

    public BundleDomain domain() {
        return domain;
    }

    public Zone zone() {
        return zone;
    }

    /** SHA-256 of the checked JAR bytes, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** A copy of the checked JAR bytes. */
    public byte[] bytes() {
        return bytes.copy();
    }

    /** The checked JAR bytes as a stream, without copying them. */
    public InputStream openStream() {
        return bytes.stream();
    }

    public int sizeBytes() {
        return bytes.length();
    }

    /** Subject of the certificate that signed the JAR. */
    public String signerSubject() {
        return signerSubject;
    }

    /** The role that let it sign for the bundle's zone. */
    public SignerRole signerRole() {
        return signerRole;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedBundle b && b.path.equals(path) && b.sha256.equals(sha256)
                && b.symbolicName.equals(symbolicName) && b.version.equals(version) && b.domain == domain && b.zone == zone
                && b.signerSubject.equals(signerSubject) && b.signerRole == signerRole && b.bytes.contentEquals(bytes);
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
