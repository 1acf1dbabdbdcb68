package org.voltkeep.launcher;

import org.voltkeep.image.VerifiedBundle;

/**
 * A bundle that passed {@link BundleAcceptor}: verified by the root of trust as part
 * of the booted image. Only the acceptor can make one, and a domain installs nothing
 * else, so no boot path reaches {@code installBundle} without verification. The
 * framework installs the verified bytes, not the file again, so what was checked is
 * what runs.
 */
final class AcceptedBundle {
    private final String location;
    private final VerifiedBundle bundle;

    AcceptedBundle(BundleAcceptor.Token token, String location, VerifiedBundle bundle) {
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

    byte[] bytes() {
        return bundle.bytes();
    }

    String sha256() {
        return bundle.sha256();
    }
}
