package org.voltkeep.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.voltkeep.rot.api.Zone;

/**
 * The zone guard in a real Felix framework with the shipped application-domain
 * policy ({@code runtime-config/zones/app.policy}): small bundles made here export
 * packages named like the runtime's (HAL, safety API, root of trust, link, charging
 * contract) and network bundles try to wire to them, find their services and hear
 * their events.
 */
class ZoneGuardTest {
    static byte[] hal;
    static byte[] safetyApi;
    static byte[] rotApi;
    static byte[] link;
    static byte[] charging;
    static byte[] json;

    @TempDir
    Path storage;
    TestFramework fw;
    ZoneGuard guard;
    final List<String> reports = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void contracts() {
        hal = exporter("test.hal", "org.voltkeep.hal", "Board");
        safetyApi = exporter("test.safety.api", "org.voltkeep.safety.api", "Limits");
        rotApi = exporter("test.rot.api", "org.voltkeep.rot.api", "RootOfTrust");
        link = exporter("test.link", "org.voltkeep.link", "Frame");
        charging = exporter("test.charging", "org.voltkeep.charging", "ChargingService");
        json = exporter("test.json", "org.voltkeep.json", "Json");
    }

    /** A bundle exporting one package holding one public interface. */
    static byte[] exporter(String bsn, String pkg, String type) {
        return TestBundle.named(bsn).exports(pkg + ";version=1.0.0")
                .source(pkg + "." + type, "package " + pkg + "; public interface " + type + " {}").jar();
    }

    @BeforeEach
    void boot() throws Exception {
        fw = TestFramework.init(storage);
        guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp(), reports::add);
        fw.start();
    }

    @AfterEach
    void stop() throws Exception {
        fw.close();
    }

    Bundle install(Zone zone, String bsn, byte[] jar) throws BundleException {
        return guard.installBundle(zone, bsn, jar);
    }

    Bundle install(Zone zone, TestBundle b) throws BundleException {
        byte[] jar = b.jar();
        return guard.installBundle(zone, symbolicName(jar), jar);
    }

    static String symbolicName(byte[] jar) {
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new ByteArrayInputStream(jar))) {
            return in.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME).split(";")[0];
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a bundle that has no activator and waits for nothing: it is ACTIVE or the start threw. */
    static Bundle started(Bundle b) throws BundleException {
        b.start();
        return b;
    }

    static Bundle providerOf(Bundle importer, String pkg) {
        for (BundleWire w : importer.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (pkg.equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return w.getProvider().getBundle();
            }
        }
        return null;
    }

    // ---- wiring ----------------------------------------------------------------------------------------------

    @Test
    void aNetworkBundleCannotImportCoreInternals() throws Exception {
        install(Zone.CORE, "test.hal", hal);
        install(Zone.CORE, "test.safety.api", safetyApi);
        install(Zone.CORE, "test.rot.api", rotApi);
        install(Zone.CORE, "test.link", link);
        for (String pkg : List.of("org.voltkeep.hal", "org.voltkeep.safety.api", "org.voltkeep.rot.api", "org.voltkeep.link")) {
            Bundle net = install(Zone.NETWORK, TestBundle.named("net.wants." + pkg).imports(pkg));
            assertThatThrownBy(net::start).as(pkg).isInstanceOf(BundleException.class).hasMessageContaining(pkg);
            assertThat(net.getState()).as(pkg).isEqualTo(Bundle.INSTALLED);
        }
        // the same request from core resolves: it is the zone that is refused, not the bundle
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.wants.hal").imports("org.voltkeep.hal")));
        assertThat(core.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(providerOf(core, "org.voltkeep.hal").getSymbolicName()).isEqualTo("test.hal");

        assertThat(reports).anySatisfy(r -> assertThat(r)
                .startsWith("network bundle net.wants.org.voltkeep.hal [")
                .contains("may not import package org.voltkeep.hal from core bundle test.hal [")
                .contains(": denied by line ").contains("(deny package org.voltkeep.hal.* from framework core network) in ")
                .endsWith("app.policy"));
    }

    @Test
    void aNetworkBundleWiresToThePublishedContractsOfCore() throws Exception {
        Bundle contract = install(Zone.CORE, "test.charging", charging);
        install(Zone.CORE, "test.json", json);
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.app")
                .imports("org.voltkeep.charging, org.voltkeep.json, org.osgi.framework")));
        assertThat(net.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(providerOf(net, "org.voltkeep.charging")).isSameAs(contract);
        assertThat(providerOf(net, "org.voltkeep.json").getSymbolicName()).isEqualTo("test.json");
        assertThat(providerOf(net, "org.osgi.framework").getBundleId()).isZero();
    }

    @Test
    void aNetworkBundleCannotStandInForACoreContract() throws Exception {
        Bundle contract = install(Zone.CORE, "test.charging", charging);
        install(Zone.NETWORK, TestBundle.named("net.fake.charging").exports("org.voltkeep.charging;version=9.0.0")
                .source("org.voltkeep.charging.ChargingService", "package org.voltkeep.charging; public interface ChargingService {}"));
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.app").imports("org.voltkeep.charging")));
        // the resolver would pick the highest version; the policy leaves it core's
        assertThat(providerOf(net, "org.voltkeep.charging")).isSameAs(contract);
    }

    @Test
    void aDynamicImportOfNetworkFindsOnlyWhatTheZoneMayImport() throws Exception {
        install(Zone.CORE, "test.hal", hal);
        install(Zone.CORE, "test.charging", charging);
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.dynamic").header("DynamicImport-Package", "*")));
        assertThat(net.loadClass("org.voltkeep.charging.ChargingService").getName()).isEqualTo("org.voltkeep.charging.ChargingService");
        assertThatThrownBy(() -> net.loadClass("org.voltkeep.hal.Board")).isInstanceOf(ClassNotFoundException.class);
        // a core bundle asking the same way gets it
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.dynamic").header("DynamicImport-Package", "*")));
        assertThat(core.loadClass("org.voltkeep.hal.Board").getName()).isEqualTo("org.voltkeep.hal.Board");
    }

    @Test
    void requireBundleAndFragmentsStayInsideTheirZone() throws Exception {
        Bundle coreHost = install(Zone.CORE, "test.charging", charging);
        Bundle netRequires = install(Zone.NETWORK, TestBundle.named("net.requires").header("Require-Bundle", "test.charging"));
        assertThatThrownBy(netRequires::start).isInstanceOf(BundleException.class);

        Bundle netFragment = install(Zone.NETWORK, TestBundle.named("net.fragment").header("Fragment-Host", "test.charging"));
        Bundle netHost = install(Zone.NETWORK, TestBundle.named("net.host"));
        Bundle netOwnFragment = install(Zone.NETWORK, TestBundle.named("net.own.fragment").header("Fragment-Host", "net.host"));
        started(coreHost);
        started(netHost);
        assertThat(coreHost.adapt(BundleWiring.class).getProvidedWires(HostNamespace.HOST_NAMESPACE))
                .as("no network code inside a core bundle's class loader").isEmpty();
        assertThat(netFragment.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(netHost.adapt(BundleWiring.class).getProvidedWires(HostNamespace.HOST_NAMESPACE))
                .extracting(w -> w.getRequirer().getBundle()).containsExactly(netOwnFragment);
        assertThat(reports).anySatisfy(r -> assertThat(r).contains("network bundle net.fragment [")
                .contains("may not attach as a fragment to core bundle test.charging ["));
    }

    @Test
    void genericCapabilitiesFollowThePolicy() throws Exception {
        install(Zone.CORE, TestBundle.named("core.extender").header("Provide-Capability", "osgi.extender;osgi.extender=test.ext"));
        install(Zone.NETWORK, TestBundle.named("net.cap").header("Provide-Capability", "test.cap;test.cap=1"));
        Bundle netUsesExtender = started(install(Zone.NETWORK, TestBundle.named("net.extended")
                .header("Require-Capability", "osgi.extender;filter:=\"(osgi.extender=test.ext)\"")));
        Bundle netUsesNet = started(install(Zone.NETWORK, TestBundle.named("net.uses.cap")
                .header("Require-Capability", "test.cap;filter:=\"(test.cap=1)\"")));
        assertThat(netUsesExtender.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(netUsesNet.getState()).isEqualTo(Bundle.ACTIVE);
        Bundle coreUsesNet = install(Zone.CORE, TestBundle.named("core.uses.cap")
                .header("Require-Capability", "test.cap;filter:=\"(test.cap=1)\""));
        assertThatThrownBy(coreUsesNet::start).isInstanceOf(BundleException.class);
        assertThat(reports).anySatisfy(r -> assertThat(r)
                .contains("core bundle core.uses.cap [").contains("may not use capability test.cap of network bundle net.cap ["));
    }

    // ---- services ----------------------------------------------------------------------------------------------

    static final ServiceFactory<Object> FACTORY = new ServiceFactory<>() {
        @Override
        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
            return new Object();
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
        }
    };

    static ServiceRegistration<?> register(Bundle b, String... names) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("test.names", String.join(",", names));
        return b.getBundleContext().registerService(names, FACTORY, props);
    }

    static List<String> visible(BundleContext ctx, String name) throws Exception {
        ServiceReference<?>[] refs = ctx.getAllServiceReferences(name, null);
        List<String> out = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                out.add(r.getBundle().getSymbolicName() + ":" + r.getProperty("test.names"));
            }
        }
        return out;
    }

    @Test
    void aNetworkBundleFindsOnlyTheServicesItsZoneMaySee() throws Exception {
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.services")));
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.finder")));
        Bundle otherNet = started(install(Zone.NETWORK, TestBundle.named("net.other")));
        for (String name : List.of("org.voltkeep.hal.Board", "org.voltkeep.safety.api.SafetyStatus", "org.voltkeep.rot.api.RootOfTrust",
                "org.voltkeep.update.agent.Installer", "org.osgi.service.cm.ConfigurationAdmin",
                "org.osgi.service.component.runtime.ServiceComponentRuntime", "org.voltkeep.charging.ChargingService")) {
            register(core, name);
        }
        register(core, "org.voltkeep.charging.ChargingService", "org.voltkeep.link.client.LinkInternals");
        register(otherNet, "com.example.mqtt.Telemetry");
        register(otherNet, "org.voltkeep.charging.ChargingService");

        BundleContext n = net.getBundleContext();
        BundleContext c = core.getBundleContext();
        for (String hidden : List.of("org.voltkeep.hal.Board", "org.voltkeep.safety.api.SafetyStatus", "org.voltkeep.rot.api.RootOfTrust",
                "org.voltkeep.update.agent.Installer", "org.osgi.service.cm.ConfigurationAdmin",
                "org.osgi.service.component.runtime.ServiceComponentRuntime", "org.voltkeep.link.client.LinkInternals")) {
            assertThat(visible(n, hidden)).as(hidden).isEmpty();
            assertThat(n.getServiceReferences(hidden, null)).as(hidden).isNull();
            assertThat(n.getServiceReference(hidden)).as(hidden).isNull();
            assertThat(visible(c, hidden)).as("core sees " + hidden).isNotEmpty();
        }
        assertThat(visible(n, "org.voltkeep.charging.ChargingService"))
                .containsExactlyInAnyOrder("core.services:org.voltkeep.charging.ChargingService",
                        "net.other:org.voltkeep.charging.ChargingService");
        assertThat(visible(n, "com.example.mqtt.Telemetry")).containsExactly("net.other:com.example.mqtt.Telemetry");
        // core trusts no network stand-in for its own contract, and sees no network service it does not list
        assertThat(visible(c, "org.voltkeep.charging.ChargingService"))
                .containsExactlyInAnyOrder("core.services:org.voltkeep.charging.ChargingService",
                        "core.services:org.voltkeep.charging.ChargingService,org.voltkeep.link.client.LinkInternals");
        assertThat(visible(c, "com.example.mqtt.Telemetry")).isEmpty();
        // a filter over every service shows nothing more
        ServiceReference<?>[] all = n.getAllServiceReferences(null, "(test.names=*)");
        assertThat(Arrays.stream(all).map(r -> (String) r.getProperty("test.names")))
                .containsExactlyInAnyOrder("org.voltkeep.charging.ChargingService", "com.example.mqtt.Telemetry",
                        "org.voltkeep.charging.ChargingService");
    }

    /** Records service events: type and names. */
    static final class Heard implements ServiceListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void serviceChanged(ServiceEvent e) {
            String type = switch (e.getType()) {
                case ServiceEvent.REGISTERED -> "REGISTERED";
                case ServiceEvent.UNREGISTERING -> "UNREGISTERING";
                default -> "MODIFIED";
            };
            events.add(type + " " + e.getServiceReference().getProperty("test.names"));
        }
    }

    @Test
    void aNetworkBundleHearsNothingOfServicesItMayNotSee() throws Exception {
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.services")));
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.listener")));
        Heard netHeard = new Heard();
        Heard coreHeard = new Heard();
        net.getBundleContext().addServiceListener(netHeard);
        core.getBundleContext().addServiceListener(coreHeard, "(test.names=*)");

        ServiceRegistration<?> board = register(core, "org.voltkeep.hal.Board");
        ServiceRegistration<?> rot = register(core, "org.voltkeep.rot.api.RootOfTrust");
        ServiceRegistration<?> contract = register(core, "org.voltkeep.charging.ChargingService");
        board.unregister();
        rot.unregister();
        contract.unregister();

        assertThat(netHeard.events).containsExactly(
                "REGISTERED org.voltkeep.charging.ChargingService", "UNREGISTERING org.voltkeep.charging.ChargingService");
        assertThat(coreHeard.events).containsExactly(
                "REGISTERED org.voltkeep.hal.Board", "REGISTERED org.voltkeep.rot.api.RootOfTrust",
                "REGISTERED org.voltkeep.charging.ChargingService", "UNREGISTERING org.voltkeep.hal.Board",
                "UNREGISTERING org.voltkeep.rot.api.RootOfTrust", "UNREGISTERING org.voltkeep.charging.ChargingService");
    }

    // ---- bundles ----------------------------------------------------------------------------------------------

    @Test
    void aNetworkBundleDoesNotSeeCoreBundles() throws Exception {
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.a")));
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.a")));
        Bundle otherNet = install(Zone.NETWORK, TestBundle.named("net.b"));
        BundleContext n = net.getBundleContext();

        assertThat(n.getBundles()).extracting(Bundle::getSymbolicName)
                .containsExactlyInAnyOrder(fw.system().getBundle().getSymbolicName(), "net.a", "net.b");
        assertThat(n.getBundle(core.getBundleId())).isNull();
        assertThat(n.getBundle(otherNet.getBundleId())).isSameAs(otherNet);
        assertThat(core.getBundleContext().getBundles()).extracting(Bundle::getSymbolicName)
                .contains("core.a", "net.a", "net.b");
        // guessing a core bundle's location does not hand it out either
        assertThatThrownBy(() -> n.installBundle(core.getLocation(), new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(BundleException.class)
                .satisfies(e -> assertThat(((BundleException) e).getType()).isEqualTo(BundleException.REJECTED_BY_HOOK));

        List<String> netHeard = Collections.synchronizedList(new ArrayList<>());
        List<String> coreHeard = Collections.synchronizedList(new ArrayList<>());
        n.addBundleListener((SynchronousBundleListener) e -> netHeard.add(e.getBundle().getSymbolicName() + " " + e.getType()));
        core.getBundleContext().addBundleListener((SynchronousBundleListener) e ->
                coreHeard.add(e.getBundle().getSymbolicName() + " " + e.getType()));
        Bundle core2 = install(Zone.CORE, TestBundle.named("core.b"));
        core2.start();
        otherNet.start();
        assertThat(netHeard).noneMatch(s -> s.startsWith("core.b")).anyMatch(s -> s.equals("net.b " + BundleEvent.STARTED));
        assertThat(coreHeard).contains("core.b " + BundleEvent.STARTED, "net.b " + BundleEvent.STARTED);
    }

    // ---- bundles that came in some other way ------------------------------------------------------------------

    @Test
    void aBundleInstalledBehindTheGuardHasNoZoneAndDoesNotResolve() throws Exception {
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.installer")));
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.observer")));
        // a location that claims core: locations decide nothing
        Bundle intruder = net.getBundleContext().installBundle(ZoneGuard.location(Zone.CORE, "intruder"),
                new ByteArrayInputStream(TestBundle.named("intruder").jar()));
        assertThat(guard.zones().zoneOf(intruder)).isEmpty();
        assertThatThrownBy(intruder::start).isInstanceOf(BundleException.class);
        assertThat(intruder.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(core.getBundleContext().getBundles()).doesNotContain(intruder);
        assertThat(reports).anySatisfy(r -> assertThat(r).isEqualTo("bundle intruder [" + intruder.getBundleId()
                + "] installed at voltkeep:core:intruder by net.installer [" + net.getBundleId()
                + "] outside the zone guard: it has no zone and will not resolve"));
        // nor can the guard be made to adopt it
        assertThatThrownBy(() -> guard.installBundle(Zone.CORE, "intruder", TestBundle.named("intruder").jar()))
                .isInstanceOf(BundleException.class).hasMessageContaining("location voltkeep:core:intruder is taken");
        assertThatThrownBy(() -> guard.updateBundle(intruder, TestBundle.named("intruder").jar()))
                .isInstanceOf(BundleException.class).hasMessageContaining("has no zone");
    }

    @Test
    void aFrameworkExtensionInstalledBehindTheGuardExportsToNoZone() throws Exception {
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.installer")));
        Bundle ext;
        try {
            ext = net.getBundleContext().installBundle("elsewhere", new ByteArrayInputStream(TestBundle.named("ext")
                    .header("Fragment-Host", "system.bundle; extension:=framework").exports("com.example.ext")
                    .source("com.example.ext.Api", "package com.example.ext; public interface Api {}").jar()));
        } catch (BundleException | UnsupportedOperationException refusedByThisJvm) {
            // a JVM that does not let Felix extend its class path refuses extensions outright
            return;
        }
        // Felix attaches extensions without asking resolver hooks; their exports still keep their own revision
        assertThat(guard.zones().zoneOf(ext)).isEmpty();
        for (Zone zone : List.of(Zone.CORE, Zone.NETWORK)) {
            Bundle wants = install(zone, TestBundle.named(zone.id() + ".wants.ext").imports("com.example.ext"));
            assertThatThrownBy(wants::start).as(zone.id()).isInstanceOf(BundleException.class);
        }
        assertThat(reports).anySatisfy(r -> assertThat(r).startsWith("core bundle core.wants.ext [")
                .contains("may not be wired to unzoned bundle ext [" + ext.getBundleId() + "]: it has no zone"));
    }

    @Test
    void aBundleUpdatedBehindTheGuardLosesItsZone() throws Exception {
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.self.updating")));
        assertThat(guard.zones().zoneOf(net)).contains(Zone.NETWORK);
        // the framework takes the new content, then cannot start it again
        assertThatThrownBy(() -> net.update(new ByteArrayInputStream(TestBundle.named("net.self.updating").version("2.0.0").jar())))
                .isInstanceOf(BundleException.class).hasMessageContaining("Resolver hook prevented resolution");
        assertThat(net.getVersion().getMajor()).isEqualTo(2);
        assertThat(guard.zones().zoneOf(net)).isEmpty();
        assertThat(net.getState()).isEqualTo(Bundle.INSTALLED);
        assertThatThrownBy(net::start).isInstanceOf(BundleException.class);
    }

    @Test
    void anUpdateThroughTheGuardKeepsTheZone() throws Exception {
        Bundle net = started(install(Zone.NETWORK, TestBundle.named("net.swapped")));
        guard.updateBundle(net, TestBundle.named("net.swapped").version("2.0.0").jar());
        assertThat(net.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(net.getVersion().getMajor()).isEqualTo(2);
        assertThat(guard.zones().zoneOf(net)).contains(Zone.NETWORK);
        // the guard will not let an update rename the bundle
        assertThatThrownBy(() -> guard.updateBundle(net, TestBundle.named("net.other.name").jar()))
                .isInstanceOf(BundleException.class).hasMessageContaining("Bundle-SymbolicName is 'net.other.name'");
        assertThat(net.getVersion().getMajor()).isEqualTo(2);
    }

    @Test
    void whatTheGuardRefusesIsNeverInstalled() throws Exception {
        int before = fw.system().getBundles().length;
        assertThatThrownBy(() -> guard.installBundle(Zone.SAFETY, "s", TestBundle.named("s").jar()))
                .isInstanceOf(BundleException.class)
                .hasMessage("s: zone safety is not accepted in the app domain (" + guard.policy().source() + "); not installed");
        assertThatThrownBy(() -> guard.installBundle(Zone.NETWORK, "expected.name", TestBundle.named("other.name").jar()))
                .isInstanceOf(BundleException.class)
                .hasMessage("expected.name: the JAR's Bundle-SymbolicName is 'other.name'; not installed");
        assertThatThrownBy(() -> guard.installBundle(Zone.CORE, "ext", TestBundle.named("ext")
                .header("Fragment-Host", "system.bundle; extension:=framework").jar()))
                .isInstanceOf(BundleException.class)
                .hasMessage("ext: extensions of the framework (Fragment-Host: system.bundle) are not accepted in any zone; not installed");
        assertThatThrownBy(() -> guard.installBundle(Zone.CORE, "junk", new byte[] {1, 2, 3}))
                .isInstanceOf(BundleException.class).hasMessageStartingWith("junk: the JAR has no META-INF/MANIFEST.MF");
        assertThat(fw.system().getBundles()).hasSize(before);
    }

    @Test
    void theHooksComeFirstAndOnlyFromTheSystemBundle(@TempDir Path other) throws Exception {
        try (TestFramework late = TestFramework.init(other)) {
            late.system().installBundle("plain", new ByteArrayInputStream(TestBundle.named("plain").jar()));
            assertThatThrownBy(() -> ZoneGuard.install(late.system(), ZonePolicyTest.shippedApp()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("zone hooks must be registered before any bundle is installed; 1 are installed already (first: plain)");
        }
        Bundle core = started(install(Zone.CORE, TestBundle.named("core.a")));
        assertThatThrownBy(() -> ZoneGuard.install(core.getBundleContext(), ZonePolicyTest.shippedApp()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zone hooks are registered by the system bundle, not by core.a");
    }
}
