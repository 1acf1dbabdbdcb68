package org.voltkeep.zones;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.voltkeep.rot.api.Zone;

/**
 * The application domain's real bundle set (as {@code runtime-config/image/bundles.list}
 * lists it, every bundle in its listed zone) under the shipped policy
 * ({@code runtime-config/zones/app.policy}) in a real Felix framework with the real
 * configuration: everything starts as it does without zones, and a network bundle
 * with Declarative Services components gets the charging contract but not the
 * administration services of core. The same probe bundle installed as core gets all
 * three, so it is the zone that decides.
 */
class AppDomainPolicyTest {
    @TempDir
    Path device;

    /** The application domain's bundles, in install order, with their zone. */
    static Map<String, Zone> appBundles() throws IOException {
        Map<String, Zone> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(RuntimeConfig.root().resolve("image/bundles.list"))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.split("\\s+");
            if (p[1].equals("app") || p[1].equals("both")) {
                out.put(p[0], p.length > 2 ? Zone.of(p[2]) : Zone.CORE);
            }
        }
        return out;
    }

    /** The JARs the build copied for this test, by symbolic name. */
    static Map<String, Path> jars() throws IOException {
        Map<String, Path> out = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("target", "app-bundles"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile jar = new JarFile(f.toFile())) {
                    String bsn = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                    if (bsn != null) {
                        out.put(bsn.split(";")[0].strip(), f);
                    }
                }
            }
        }
        return out;
    }

    /** A bundle with three DS components, each waiting for one service and then registering a Runnable saying which. */
    static byte[] probe(String bsn) {
        TestBundle b = TestBundle.named(bsn)
                .imports("org.osgi.framework")
                .header("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.5)(!(version>=2.0)))\"")
                .header("Service-Component", "OSGI-INF/charging.xml,OSGI-INF/scr.xml,OSGI-INF/cm.xml")
                .source("probe.Probe", """
                        package probe;
                        import org.osgi.framework.ServiceReference;
                        public class Probe implements Runnable {
                            public void bind(ServiceReference<?> reference) { }
                            public void run() { }
                        }
                        """);
        component(b, "charging", "org.voltkeep.charging.ChargingService");
        component(b, "scr", "org.osgi.service.component.runtime.ServiceComponentRuntime");
        component(b, "cm", "org.osgi.service.cm.ConfigurationAdmin");
        return b.jar();
    }

    private static void component(TestBundle b, String name, String wants) {
        b.entry("OSGI-INF/" + name + ".xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.5.0" name="probe.%s" immediate="true">
                  <implementation class="probe.Probe"/>
                  <service><provide interface="java.lang.Runnable"/></service>
                  <property name="probe" value="%s"/>
                  <reference name="wanted" interface="%s" bind="bind" cardinality="1..1" policy="static"/>
                </scr:component>
                """.formatted(name, name, wants));
    }

    /** Which probe components are active, as "bundle:probe". */
    static TreeSet<String> activeProbes(BundleContext system) throws InvalidSyntaxException {
        TreeSet<String> out = new TreeSet<>();
        ServiceReference<?>[] refs = system.getServiceReferences(Runnable.class.getName(), "(probe=*)");
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                out.add(r.getBundle().getSymbolicName() + ":" + r.getProperty("probe"));
            }
        }
        return out;
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theRealApplicationDomainRunsUnderTheShippedPolicy() throws Exception {
        Path config = Files.createDirectories(device.resolve("data/config/app"));
        try (Stream<Path> files = Files.list(RuntimeConfig.root().resolve("config/app"))) {
            for (Path f : files.toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Path run = Files.createDirectories(device.resolve("run"));
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.net");
        props.put("voltkeep.device", device.toString());
        props.put("voltkeep.domain", "app");
        props.put("voltkeep.config.dir", config.toString());
        props.put("voltkeep.run.dir", run.toString());
        props.put("voltkeep.data.dir", device.resolve("data").toString());
        props.put("voltkeep.sim.speed", "1.0");
        props.put("voltkeep.board", "sim");
        props.put("gosh.args", "--nointeractive");
        props.put("gosh.home", run.toString());
        List<String> reports = new ArrayList<>();

        try (TestFramework fw = TestFramework.init(device.resolve("felix"), props)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp(), reports::add);
            Map<String, Path> jars = jars();
            List<Bundle> installed = new ArrayList<>();
            for (Map.Entry<String, Zone> e : appBundles().entrySet()) {
                Path jar = jars.get(e.getKey());
                assertThat(jar).as("built JAR of " + e.getKey()).isNotNull();
                installed.add(guard.installBundle(e.getValue(), e.getKey(), Files.readAllBytes(jar)));
            }
            Bundle netProbe = guard.installBundle(Zone.NETWORK, "probe.network", probe("probe.network"));
            Bundle coreProbe = guard.installBundle(Zone.CORE, "probe.core", probe("probe.core"));
            installed.add(netProbe);
            installed.add(coreProbe);
            fw.start();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            for (Bundle b : installed) {
                assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE);
            }
            BundleContext system = fw.system();
            // all references: this test's own class path holds other copies of the contract classes
            await("the charging service", () -> {
                try {
                    return system.getAllServiceReferences("org.voltkeep.charging.ChargingService", null) != null;
                } catch (InvalidSyntaxException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the probes", () -> {
                try {
                    return activeProbes(system).size() >= 4;
                } catch (InvalidSyntaxException e) {
                    throw new IllegalStateException(e);
                }
            });
            // give Declarative Services time to (wrongly) satisfy the network probe's other two components
            Thread.sleep(500);
            assertThat(activeProbes(system)).containsExactly(
                    "probe.core:charging", "probe.core:cm", "probe.core:scr", "probe.network:charging");

            BundleContext net = netProbe.getBundleContext();
            BundleContext core = coreProbe.getBundleContext();
            assertThat(net.getServiceReference("org.osgi.service.cm.ConfigurationAdmin")).isNull();
            assertThat(net.getServiceReference("org.osgi.service.component.runtime.ServiceComponentRuntime")).isNull();
            assertThat(core.getServiceReference("org.osgi.service.cm.ConfigurationAdmin")).isNotNull();
            assertThat(net.getBundles()).extracting(Bundle::getSymbolicName)
                    .containsExactlyInAnyOrder(system.getBundle().getSymbolicName(), "probe.network");
            // nothing of the real set was refused anything
            assertThat(reports).allSatisfy(r -> assertThat(r).startsWith("network bundle probe.network"));
        }
    }
}
