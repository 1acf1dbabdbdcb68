package org.voltkeep.zones;

import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;

import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.voltkeep.rot.api.Zone;

/**
 * The resolver hook: a revision the guard did not admit does not resolve at all, and
 * a requirement keeps only the capabilities its zone may be wired to. This is what
 * makes a denied package simply absent for the bundle: its import fails to resolve
 * (or its dynamic import finds nothing), exactly as if no bundle exported it.
 *
 * <p>Any failure inside the hook denies: a resolver hook that throws would abort the
 * whole resolution, and one that keeps candidates it could not judge would let them through.
 */
final class ResolverGate implements ResolverHookFactory, ResolverHook {
    private final ZonePolicy policy;
    private final ZoneMap zones;
    private final Reporter reporter;

    ResolverGate(ZonePolicy policy, ZoneMap zones, Reporter reporter) {
        this.policy = policy;
        this.zones = zones;
        this.reporter = reporter;
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return this;
    }

    @Override
    public void filterResolvable(Collection<BundleRevision> candidates) {
        try {
            for (Iterator<BundleRevision> it = candidates.iterator(); it.hasNext();) {
                BundleRevision r = it.next();
                if (zones.originOf(r).isEmpty()) {
                    it.remove();
                    reporter.report("bundle " + r.getSymbolicName() + " [" + r.getBundle().getBundleId() + "] at "
                            + r.getBundle().getLocation() + " was not installed through the zone guard (or was changed since): "
                            + "it has no zone and does not resolve");
                }
            }
        } catch (RuntimeException e) {
            candidates.clear();
            reporter.report("zone resolver hook failed, nothing resolves in this round: " + e);
        }
    }

    @Override
    public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisionCandidates) {
        // The image holds one bundle per symbolic name and domain; collisions are the framework's to settle.
    }

    @Override
    public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
        try {
            BundleRevision requirer = requirement.getRevision();
            Optional<Origin> requirerOrigin = zones.originOf(requirer);
            if (requirerOrigin.isPresent() && requirerOrigin.get() == Origin.FRAMEWORK) {
                return;
            }
            if (requirerOrigin.isEmpty()) {
                candidates.clear();
                return;
            }
            Zone zone = requirerOrigin.get().zone().orElseThrow();
            for (Iterator<BundleCapability> it = candidates.iterator(); it.hasNext();) {
                BundleCapability capability = it.next();
                String denial = denial(zone, requirer, requirement.getNamespace(), capability);
                if (denial != null) {
                    it.remove();
                    reporter.report(denial);
                }
            }
        } catch (RuntimeException e) {
            candidates.clear();
            reporter.report("zone resolver hook failed on a requirement of " + requirement.getRevision().getSymbolicName()
                    + ", its candidates are dropped: " + e);
        }
    }

    /** Why {@code requirer} may not be wired to {@code capability}, or null when it may. */
    private String denial(Zone zone, BundleRevision requirer, String namespace, BundleCapability capability) {
        BundleRevision provider = capability.getRevision();
        if (provider == requirer) {
            return null;
        }
        Optional<Origin> origin = zones.originOf(provider);
        String who = Names.of(Optional.of(Origin.of(zone)), requirer);
        if (origin.isEmpty()) {
            return who + " may not be wired to " + Names.of(origin, provider) + ": it has no zone";
        }
        switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE -> {
                Object name = capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                String pkg = name instanceof String s ? s : String.valueOf(name);
                ZonePolicy.Verdict v = policy.decide(zone, Rule.Kind.PACKAGE, pkg, origin.get());
                return v.allowed() ? null
                        : who + " may not import package " + pkg + " from " + Names.of(origin, provider) + ": " + v.reason()
                                + " in " + policy.source();
            }
            case BundleNamespace.BUNDLE_NAMESPACE, HostNamespace.HOST_NAMESPACE -> {
                if (origin.get() == Origin.of(zone)) {
                    return null;
                }
                String what = namespace.equals(BundleNamespace.BUNDLE_NAMESPACE) ? "require" : "attach as a fragment to";
                return who + " may not " + what + " " + Names.of(origin, provider)
                        + ": Require-Bundle and Fragment-Host work within a zone only";
            }
            default -> {
                ZonePolicy.Verdict v = policy.decide(zone, Rule.Kind.CAPABILITY, namespace, origin.get());
                return v.allowed() ? null
                        : who + " may not use capability " + namespace + " of " + Names.of(origin, provider) + ": " + v.reason()
                                + " in " + policy.source();
            }
        }
    }

    @Override
    public void end() {
        // nothing held between rounds
    }
}
