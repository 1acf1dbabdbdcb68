package org.voltkeep.launcher;

import java.util.ArrayList;
import java.util.List;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.VerifiedBundle;

/**
 * The one place where bundles are accepted for a domain before any
 * {@code installBundle}: the bundles of that domain in the slot's image, as
 * {@link BootVerifier} verified them, in manifest order.
 */
final class BundleAcceptor {
    /** Proof of passage: only this class can create {@link AcceptedBundle}s. */
    static final class Token {
        private Token() {
        }
    }

    private static final Token TOKEN = new Token();

    private BundleAcceptor() {
    }

    static List<AcceptedBundle> accept(BootVerifier.Boot boot, BundleDomain domain) {
        List<AcceptedBundle> accepted = new ArrayList<>();
        for (VerifiedBundle b : boot.image().bundles(domain)) {
            accepted.add(new AcceptedBundle(TOKEN, "voltkeep:slot/" + boot.slot() + "/" + b.path(), b));
        }
        return accepted;
    }
}
