package org.voltkeep.launcher;

import java.io.InputStream;

import org.voltkeep.image.PinnedBundle;

/**
 * A bundle that passed {@link BundleAcceptor}: part of the image the root of trust
 * verified, read back with the hash that manifest gives. Only the acceptor can make one,
 * and a domain installs nothing else, so no boot path reaches {@code installBundle}
 * without verification. The framework installs the bytes that were hashed, not the file
 * again, so what was checked is what runs.
 */
final class AcceptedBundle {
    private final String location;
    private final PinnedBundle bundle;

    AcceptedBundle(BundleAcceptor.Token token, String location, PinnedBundle bundle) {
        if (token == null) {
            throw new IllegalStateException("bundles are accepted only by BundleAcceptor");
        }
        this.location = location;
        this.bundle = bundle;
    }

    String location() {
        return location;
    }

    String symbolicName() {
        return bundle.symbolicName();
    }

    InputStream open() {
        return bundle.openStream();
    }

    String sha256() {
        return bundle.sha256();
    }
}
