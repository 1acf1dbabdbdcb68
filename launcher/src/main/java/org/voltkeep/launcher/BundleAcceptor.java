package org.voltkeep.launcher;

import java.util.ArrayList;
import java.util.List;

import org.voltkeep.image.PinnedBundle;
import org.voltkeep.image.PinnedImage;

/**
 * The one place where bundles are accepted for a domain before any
 * {@code installBundle}: the domain's bundles of the slot's image, pinned to the
 * manifest the launcher verified ({@link PinnedImage}), in manifest order.
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

    static List<AcceptedBundle> accept(String slot, PinnedImage image) {
        List<AcceptedBundle> accepted = new ArrayList<>();
        for (PinnedBundle b : image.bundles()) {
            accepted.add(new AcceptedBundle(TOKEN, "voltkeep:slot/" + slot + "/" + b.path(), b));
        }
        return accepted;
    }
}
