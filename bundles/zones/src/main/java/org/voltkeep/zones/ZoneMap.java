package org.voltkeep.zones;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleRevisions;
import org.voltkeep.rot.api.Zone;

/**
 * Which bundle is in which zone. A bundle has a zone only when {@link ZoneGuard}
 * installed it (or updated it) and its newest revision is the one the guard
 * admitted: its location, headers or anything else a bundle can write play no part.
 * A bundle installed by anyone else, or updated behind the guard's back, has no zone,
 * and a bundle with no zone resolves nothing and sees nothing.
 */
public final class ZoneMap {
    /**
     * One admitted bundle. Revisions are compared by identity: the framework makes one
     * object per install or update. No lock is held while calling into the framework
     * (hooks run under the framework's own locks), hence the copy-on-write list.
     */
    private static final class Admission {
        final Bundle bundle;
        final Zone zone;
        private final List<BundleRevision> revisions = new CopyOnWriteArrayList<>();

        Admission(Bundle bundle, Zone zone) {
            this.bundle = bundle;
            this.zone = zone;
        }

        void add(BundleRevision r) {
            revisions.add(r);
        }

        boolean holds(BundleRevision r) {
            for (BundleRevision a : revisions) {
                if (a == r) {
                    return true;
                }
            }
            return false;
        }

        /** Forgets revisions the framework dropped; true when nothing is left to answer for. */
        boolean prune() {
            List<BundleRevision> live = revisionsOf(bundle);
            boolean uninstalled = bundle.getState() == Bundle.UNINSTALLED;
            revisions.removeIf(a -> live.stream().noneMatch(l -> l == a));
            return revisions.isEmpty() || (uninstalled && revisions.stream().allMatch(r -> r.getWiring() == null));
        }
    }

    private final Map<Long, Admission> admitted = new ConcurrentHashMap<>();

    ZoneMap() {
    }

    /** The zone of {@code bundle}, if the guard admitted its newest revision. */
    public Optional<Zone> zoneOf(Bundle bundle) {
        if (bundle == null) {
            return Optional.empty();
        }
        Admission a = admitted.get(bundle.getBundleId());
        if (a == null || a.bundle != bundle) {
            return Optional.empty();
        }
        List<BundleRevision> revisions = revisionsOf(bundle);
        if (revisions.isEmpty() || !a.holds(revisions.get(0)) || gone(bundle, revisions.get(0))) {
            return Optional.empty();
        }
        return Optional.of(a.zone);
    }

    /** An uninstalled bundle keeps its zone only while its last revision is still wired (until the refresh). */
    private static boolean gone(Bundle bundle, BundleRevision newest) {
        return bundle.getState() == Bundle.UNINSTALLED && newest.getWiring() == null;
    }

    /** {@link Origin#FRAMEWORK} for the system bundle, else the origin of its {@link #zoneOf zone}. */
    public Optional<Origin> originOf(Bundle bundle) {
        if (bundle != null && bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            return Optional.of(Origin.FRAMEWORK);
        }
        return zoneOf(bundle).map(Origin::of);
    }

    /** The origin of one revision: the framework's, or the zone it was admitted with. */
    public Optional<Origin> originOf(BundleRevision revision) {
        if (revision == null) {
            return Optional.empty();
        }
        Bundle bundle = revision.getBundle();
        if (bundle == null) {
            return Optional.empty();
        }
        if (bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            return Optional.of(Origin.FRAMEWORK);
        }
        Admission a = admitted.get(bundle.getBundleId());
        return a != null && a.bundle == bundle && a.holds(revision) ? Optional.of(Origin.of(a.zone)) : Optional.empty();
    }

    /** Admits the newest revision of {@code bundle} into {@code zone}; a bundle never changes zone. */
    synchronized void admit(Bundle bundle, Zone zone) {
        List<BundleRevision> revisions = revisionsOf(bundle);
        if (revisions.isEmpty()) {
            throw new IllegalStateException("bundle " + bundle.getBundleId() + " has no revision to admit");
        }
        Admission a = admitted.computeIfAbsent(bundle.getBundleId(), id -> new Admission(bundle, zone));
        if (a.bundle != bundle || a.zone != zone) {
            throw new IllegalStateException("bundle " + bundle.getBundleId() + " is admitted already, in zone " + a.zone.id());
        }
        a.add(revisions.get(0));
        sweep();
    }

    /**
     * Drops what the framework no longer holds: revisions replaced and refreshed away,
     * bundles uninstalled and refreshed. Exclusive with {@link #admit}, so a sweep never
     * judges a revision admitted while it ran; the hooks' lookups take no lock.
     */
    synchronized void sweep() {
        admitted.values().removeIf(Admission::prune);
    }

    /** How many bundles are admitted (tests: what the framework dropped is dropped here too). */
    int size() {
        return admitted.size();
    }

    private static List<BundleRevision> revisionsOf(Bundle bundle) {
        BundleRevisions revisions = bundle.adapt(BundleRevisions.class);
        return revisions == null ? List.of() : revisions.getRevisions();
    }
}
