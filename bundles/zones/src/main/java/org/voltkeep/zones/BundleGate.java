package org.voltkeep.zones;

import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;
import org.voltkeep.rot.api.Zone;

/**
 * Bundle visibility: {@code getBundles()}, {@code getBundle(id)}, installing at a
 * location that is taken, and bundle events show a bundle only the bundles its
 * zone may see. Extenders (Declarative Services, SPI Fly, the shell) are core and
 * see network bundles; a network bundle does not see core bundles. The system bundle
 * and a bundle itself are always visible. Hiding is not a lock: a bundle can still
 * reach a {@link Bundle} through a service reference or a wire (module README).
 */
final class BundleGate implements FindHook, EventHook {
    private final ZonePolicy policy;
    private final ZoneMap zones;

    BundleGate(ZonePolicy policy, ZoneMap zones) {
        this.policy = policy;
        this.zones = zones;
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        try {
            Bundle finder = context.getBundle();
            for (Iterator<Bundle> it = bundles.iterator(); it.hasNext();) {
                if (!visible(finder, it.next())) {
                    it.remove();
                }
            }
        } catch (RuntimeException e) {
            bundles.removeIf(b -> b.getBundleId() != Constants.SYSTEM_BUNDLE_ID);
        }
    }

    @Override
    public void event(BundleEvent event, Collection<BundleContext> contexts) {
        Bundle subject = event.getBundle();
        for (Iterator<BundleContext> it = contexts.iterator(); it.hasNext();) {
            boolean keep;
            try {
                keep = visible(it.next().getBundle(), subject);
            } catch (RuntimeException e) {
                keep = false;
            }
            if (!keep) {
                it.remove();
            }
        }
    }

    private boolean visible(Bundle finder, Bundle subject) {
        if (subject.getBundleId() == Constants.SYSTEM_BUNDLE_ID || subject == finder) {
            return true;
        }
        Optional<Origin> finderOrigin = zones.originOf(finder);
        if (finderOrigin.isEmpty()) {
            return false;
        }
        if (finderOrigin.get() == Origin.FRAMEWORK) {
            return true;
        }
        Optional<Origin> subjectOrigin = zones.originOf(subject);
        if (subjectOrigin.isEmpty()) {
            return false;
        }
        Zone zone = finderOrigin.get().zone().orElseThrow();
        String name = subject.getSymbolicName();
        return name != null && policy.maySeeBundle(zone, name, subjectOrigin.get());
    }
}
