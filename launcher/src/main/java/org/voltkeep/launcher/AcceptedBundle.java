package org.voltkeep.launcher;

import java.util.Arrays;

/**
 * A bundle that passed {@link BundleAcceptor}: its exact bytes, identity and hash.
 * Only the acceptor can make one, and a domain installs nothing else, so no boot
 * path reaches {@code installBundle} without passing the acceptor. The framework
 * installs these bytes, not the file again, so what was checked is what runs.
 */
final class AcceptedBundle {
    private final String location;
    private final BundleJar identity;
    private final byte[] bytes;
    private final String sha256;

    AcceptedBundle(BundleAcceptor.Token token, String location, BundleJar identity, byte[] bytes, String sha256) {
        if (token == null) {
            throw new IllegalStateException("bundles are accepted only by BundleAcceptor");
        }
        this.location = location;
        this.identity = identity;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    String location() {
        return location;
    }

    BundleJar identity() {
        return identity;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    String sha256() {
        return sha256;
    }
}
