package org.voltkeep.zones;

import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;

/** How bundles are named in denial messages: {@code network bundle com.example.x [12]}. */
final class Names {
    private Names() {
    }

    static String of(Optional<Origin> origin, Bundle bundle) {
        return origin.map(Origin::id).orElse("unzoned") + " bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }

    static String of(Optional<Origin> origin, BundleRevision revision) {
        return origin.map(Origin::id).orElse("unzoned") + " bundle " + revision.getSymbolicName()
                + " [" + revision.getBundle().getBundleId() + "]";
    }
}
