package org.voltkeep.zones;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.voltkeep.rot.api.Zone;

/**
 * Enforces a {@link ZonePolicy} in one framework. {@link #install} registers the
 * hooks on the system bundle, before any bundle is installed, so no bundle can
 * unregister them or act before them. From then on, {@link #installBundle} is the
 * only way a bundle gets a zone: the launcher passes the zone it verified (from the
 * signer's role, in the signed image), the guard installs the bundle at
 * {@link #location} and admits exactly the revision it installed. A bundle installed
 * by anyone else (a bundle calling {@code installBundle}, say) or updated behind the
 * guard's back has no zone: it does not resolve, sees nothing and is seen by no zone.
 *
 * <p>Installs and updates through the guard are serialized.
 */
public final class ZoneGuard {
    /** Location scheme of the bundles the guard installs: {@code voltkeep:<zone>:<symbolic name>}. */
    public static final String LOCATION_PREFIX = "voltkeep:";

    private final BundleContext system;
    private final ZonePolicy policy;
    private final ZoneMap zones = new ZoneMap();
    private final Reporter reporter;
    /** Set while {@link #installBundle} runs, so the install listener knows the INSTALLED event is ours. */
    private volatile String installing;
    private volatile Bundle installed;

    private ZoneGuard(BundleContext system, ZonePolicy policy, Consumer<String> report) {
        this.system = system;
        this.policy = policy;
        this.reporter = new Reporter(report);
    }

    /** {@link #install(BundleContext, ZonePolicy, Consumer)} with denials left unreported. */
    public static ZoneGuard install(BundleContext systemContext, ZonePolicy policy) {
        return install(systemContext, policy, message -> { });
    }

    /**
     * Registers the zone hooks on the system bundle of a framework that was
     * {@code init()}ed but holds no bundle yet.
     *
     * @param systemContext the system bundle's context ({@code framework.getBundleContext()} after {@code init()})
     * @param policy        the domain's zone policy
     * @param report        receives each distinct denial once (a resolution refused, an unzoned bundle), for the domain's log
     * @throws IllegalArgumentException if {@code systemContext} is not the system bundle's
     * @throws IllegalStateException    if a bundle is installed already: the hooks must come first
     */
    public static ZoneGuard install(BundleContext systemContext, ZonePolicy policy, Consumer<String> report) {
        Objects.requireNonNull(systemContext, "systemContext");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(report, "report");
        if (systemContext.getBundle().getBundleId() != Constants.SYSTEM_BUNDLE_ID) {
            throw new IllegalArgumentException("zone hooks are registered by the system bundle, not by "
                    + systemContext.getBundle().getSymbolicName());
        }
        Bundle[] present = systemContext.getBundles();
        if (present.length > 1) {
            throw new IllegalStateException("zone hooks must be registered before any bundle is installed; "
                    + (present.length - 1) + " are installed already (first: " + present[1].getSymbolicName() + ")");
        }
        ZoneGuard guard = new ZoneGuard(systemContext, policy, report);
        guard.register();
        return guard;
    }

    private void register() {
        ResolverGate resolver = new ResolverGate(policy, zones, reporter);
        ServiceGate services = new ServiceGate(policy, zones);
        BundleGate bundles = new BundleGate(policy, zones);
        system.registerService(ResolverHookFactory.class, resolver, null);
        system.registerService(org.osgi.framework.hooks.service.FindHook.class, services, null);
        system.registerService(org.osgi.framework.hooks.service.EventListenerHook.class, services, null);
        system.registerService(org.osgi.framework.hooks.bundle.FindHook.class, bundles, null);
        system.registerService(org.osgi.framework.hooks.bundle.EventHook.class, bundles, null);
        system.addBundleListener((SynchronousBundleListener) this::bundleChanged);
        system.addFrameworkListener((FrameworkListener) this::frameworkEvent);
    }

    /**
     * The location the guard installs a bundle of {@code zone} at. It is informative
     * only: the zone is what the guard admitted, never what a location says.
     */
    public static String location(Zone zone, String symbolicName) {
        return LOCATION_PREFIX + zone.id() + ":" + symbolicName;
    }

    public ZonePolicy policy() {
        return policy;
    }

    /** Which bundle is in which zone. */
    public ZoneMap zones() {
        return zones;
    }

    /**
     * Installs a verified bundle into {@code zone}. Refused before anything is
     * installed when the domain does not accept the zone, when the JAR's
     * {@code Bundle-SymbolicName} is not {@code symbolicName}, when it is an extension of
     * the framework, or when the location is taken.
     *
     * @param zone         the zone the signer's role allows, from the verified image
     * @param symbolicName the symbolic name the verified image lists
     * @param jar          the verified bytes
     */
    public synchronized Bundle installBundle(Zone zone, String symbolicName, byte[] jar) throws BundleException {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(symbolicName, "symbolicName");
        if (!policy.accepts(zone)) {
            throw new BundleException(symbolicName + ": zone " + zone.id() + " is not accepted in the " + policy.domain()
                    + " domain (" + policy.source() + "); not installed", BundleException.REJECTED_BY_HOOK);
        }
        checkHeaders(symbolicName, jar);
        String location = location(zone, symbolicName);
        Bundle taken = system.getBundle(location);
        if (taken != null) {
            throw new BundleException(symbolicName + ": location " + location + " is taken by bundle " + taken.getBundleId()
                    + "; not installed", BundleException.DUPLICATE_BUNDLE_ERROR);
        }
        Bundle bundle;
        installing = location;
        installed = null;
        try {
            bundle = system.installBundle(location, new ByteArrayInputStream(jar));
        } finally {
            installing = null;
        }
        if (bundle != installed) {
            throw new BundleException(symbolicName + ": location " + location + " was taken by someone else during the install; "
                    + "bundle " + bundle.getBundleId() + " is not admitted", BundleException.DUPLICATE_BUNDLE_ERROR);
        }
        zones.admit(bundle, zone);
        return bundle;
    }

    /**
     * Replaces the content of a bundle this guard installed (a hot-swap of verified
     * bytes) and admits the new revision in the same zone. An active bundle is stopped
     * first and started again afterwards. Wires to the old revision stay until the caller
     * refreshes the bundle ({@code FrameworkWiring.refreshBundles} with this bundle only:
     * the policy keeps that refresh inside the bundle's zone).
     */
    public synchronized void updateBundle(Bundle bundle, byte[] jar) throws BundleException {
        Objects.requireNonNull(bundle, "bundle");
        Zone zone = zones.zoneOf(bundle).orElseThrow(() -> new BundleException("bundle " + bundle.getBundleId() + " ("
                + bundle.getSymbolicName() + ") has no zone: only bundles the guard installed are updated through it",
                BundleException.INVALID_OPERATION));
        checkHeaders(bundle.getSymbolicName(), jar);
        int state = bundle.getState();
        boolean wasActive = state == Bundle.ACTIVE || state == Bundle.STARTING;
        if (wasActive) {
            bundle.stop(Bundle.STOP_TRANSIENT);
        }
        bundle.update(new ByteArrayInputStream(jar));
        zones.admit(bundle, zone);
        if (wasActive) {
            bundle.start(Bundle.START_TRANSIENT);
        }
    }

    private void checkHeaders(String symbolicName, byte[] jar) throws BundleException {
        Attributes main = manifestOf(symbolicName, jar).getMainAttributes();
        String bsn = headerName(main.getValue(Constants.BUNDLE_SYMBOLICNAME));
        if (!symbolicName.equals(bsn)) {
            throw new BundleException(symbolicName + ": the JAR's Bundle-SymbolicName is "
                    + (bsn == null ? "missing" : "'" + bsn + "'") + "; not installed", BundleException.MANIFEST_ERROR);
        }
        String host = headerName(main.getValue(Constants.FRAGMENT_HOST));
        if (host != null && (host.equals(Constants.SYSTEM_BUNDLE_SYMBOLICNAME) || host.equals(system.getBundle().getSymbolicName()))) {
            throw new BundleException(symbolicName + ": extensions of the framework (Fragment-Host: " + host
                    + ") are not accepted in any zone; not installed", BundleException.REJECTED_BY_HOOK);
        }
    }

    private static Manifest manifestOf(String symbolicName, byte[] jar) throws BundleException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().toUpperCase(Locale.ROOT).equals(JarFile.MANIFEST_NAME)) {
                    return new Manifest(zip);
                }
            }
        } catch (IOException e) {
            throw new BundleException(symbolicName + ": not a readable JAR: " + e.getMessage(), BundleException.READ_ERROR, e);
        }
        throw new BundleException(symbolicName + ": the JAR has no " + JarFile.MANIFEST_NAME, BundleException.MANIFEST_ERROR);
    }

    /** The name part of a header value ({@code name;directive:=x} gives {@code name}); null when absent. */
    private static String headerName(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        return (semi >= 0 ? value.substring(0, semi) : value).strip();
    }

    private void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.INSTALLED) {
            return;
        }
        Bundle b = event.getBundle();
        if (b.getLocation().equals(installing) && event.getOrigin() != null
                && event.getOrigin().getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            installed = b;
            return;
        }
        Bundle origin = event.getOrigin();
        reporter.report("bundle " + b.getSymbolicName() + " [" + b.getBundleId() + "] installed at " + b.getLocation()
                + (origin == null ? "" : " by " + origin.getSymbolicName() + " [" + origin.getBundleId() + "]")
                + " outside the zone guard: it has no zone and will not resolve");
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
            zones.sweep();
        }
    }
}
