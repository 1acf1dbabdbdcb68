package org.voltkeep.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleWiring;
import org.voltkeep.rot.api.Zone;

/**
 * Hot-swapping a network bundle in a running application domain never stops,
 * restarts or re-wires a bundle of another zone (Kura lost unrelated services this
 * way: eclipse-kura/kura#1689). The same bundle set without the guard shows the
 * failure the policy prevents: a core bundle wired to a network export is restarted
 * by the network bundle's refresh.
 *
 * <p>The set: core {@code core.shared} exports {@code com.example.shared} 1.0 and
 * {@code core.consumer} imports it; network {@code net.provider} exports the same
 * package at 1.5 (which a resolver prefers) and {@code com.example.net}, which network
 * {@code net.consumer} imports.
 */
class RefreshIsolationTest {
    static final List<String> CORE = List.of("core.shared", "core.consumer");

    @TempDir
    Path storage;

    static TestBundle coreShared() {
        return TestBundle.named("core.shared").exports("com.example.shared;version=1.0.0")
                .source("com.example.shared.Api", "package com.example.shared; public interface Api {}");
    }

    static TestBundle coreConsumer() {
        return TestBundle.named("core.consumer").imports("com.example.shared;version=\"[1,2)\"");
    }

    static TestBundle netProvider(String version) {
        return TestBundle.named("net.provider").version(version)
                .exports("com.example.shared;version=1.5.0, com.example.net;version=1.0.0")
                .source("com.example.shared.Api", "package com.example.shared; public interface Api {}")
                .source("com.example.net.Telemetry", "package com.example.net; public interface Telemetry {}");
    }

    static TestBundle netConsumer() {
        return TestBundle.named("net.consumer").imports("com.example.net, com.example.shared");
    }

    /** The four bundles, installed and started: providers resolved first, so each consumer has both candidates. */
    record Set(Bundle coreShared, Bundle coreConsumer, Bundle netProvider, Bundle netConsumer) {
    }

    interface Installer {
        Bundle install(Zone zone, TestBundle bundle) throws BundleException;
    }

    static Set boot(TestFramework fw, Installer installer) throws Exception {
        Bundle shared = installer.install(Zone.CORE, coreShared());
        Bundle provider = installer.install(Zone.NETWORK, netProvider("1.0.0"));
        assertThat(fw.wiring().resolveBundles(List.of(shared, provider))).isTrue();
        Bundle consumer = installer.install(Zone.CORE, coreConsumer());
        Bundle netConsumer = installer.install(Zone.NETWORK, netConsumer());
        for (Bundle b : List.of(shared, provider, consumer, netConsumer)) {
            b.start();
        }
        return new Set(shared, consumer, provider, netConsumer);
    }

    static Installer guarded(ZoneGuard guard) {
        return (zone, b) -> {
            byte[] jar = b.jar();
            return guard.installBundle(zone, ZoneGuardTest.symbolicName(jar), jar);
        };
    }

    static Bundle providerOfShared(Bundle consumer) {
        return ZoneGuardTest.providerOf(consumer, "com.example.shared");
    }

    static boolean stoppedOrRestarted(List<TestFramework.Event> events) {
        return events.stream().anyMatch(e -> e.type() == BundleEvent.STOPPED || e.type() == BundleEvent.UNRESOLVED
                || e.type() == BundleEvent.STARTED);
    }

    @Test
    void withoutTheGuardARefreshOfTheNetworkBundleRestartsCore() throws Exception {
        try (TestFramework fw = TestFramework.init(storage)) {
            fw.start();
            Set s = boot(fw, (zone, b) -> {
                byte[] jar = b.jar();
                return fw.system().installBundle("plain:" + ZoneGuardTest.symbolicName(jar), new ByteArrayInputStream(jar));
            });
            assertThat(providerOfShared(s.coreConsumer())).isSameAs(s.netProvider());
            assertThat(fw.wiring().getDependencyClosure(List.of(s.netProvider()))).contains(s.coreConsumer());

            fw.clearEvents();
            s.netProvider().update(new ByteArrayInputStream(netProvider("2.0.0").jar()));
            fw.refresh(s.netProvider());
            assertThat(fw.eventsOf("core.consumer")).extracting(TestFramework.Event::toString)
                    .contains("core.consumer STOPPED", "core.consumer UNRESOLVED", "core.consumer STARTED");
        }
    }

    @Test
    void updatingAndRefreshingANetworkBundleLeavesCoreAlone() throws Exception {
        try (TestFramework fw = TestFramework.init(storage)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp());
            fw.start();
            Set s = boot(fw, guarded(guard));
            assertThat(providerOfShared(s.coreConsumer())).isSameAs(s.coreShared());
            assertThat(providerOfShared(s.netConsumer())).isSameAs(s.netProvider());
            assertThat(fw.wiring().getDependencyClosure(List.of(s.netProvider())))
                    .containsExactlyInAnyOrder(s.netProvider(), s.netConsumer());
            BundleWiring coreWiring = s.coreConsumer().adapt(BundleWiring.class);

            fw.clearEvents();
            guard.updateBundle(s.netProvider(), netProvider("2.0.0").jar());
            fw.refresh(s.netProvider());

            assertThat(fw.eventsOf(CORE.toArray(String[]::new))).isEmpty();
            assertThat(s.coreConsumer().adapt(BundleWiring.class)).isSameAs(coreWiring);
            assertThat(s.coreConsumer().getState()).isEqualTo(Bundle.ACTIVE);
            // the refresh did happen: the network consumer went down and came back on the new provider
            assertThat(fw.eventsOf("net.consumer")).extracting(TestFramework.Event::toString)
                    .contains("net.consumer STOPPED", "net.consumer STARTED");
            assertThat(s.netProvider().getVersion().getMajor()).isEqualTo(2);
            assertThat(providerOfShared(s.netConsumer())).isSameAs(s.netProvider());
        }
    }

    @Test
    void uninstallingAndRefreshingANetworkBundleLeavesCoreAlone() throws Exception {
        try (TestFramework fw = TestFramework.init(storage)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp());
            fw.start();
            Set s = boot(fw, guarded(guard));
            BundleWiring coreWiring = s.coreConsumer().adapt(BundleWiring.class);
            int admitted = guard.zones().size();

            fw.clearEvents();
            s.netProvider().uninstall();
            fw.refresh(s.netProvider());

            assertThat(fw.eventsOf(CORE.toArray(String[]::new))).isEmpty();
            assertThat(s.coreConsumer().adapt(BundleWiring.class)).isSameAs(coreWiring);
            assertThat(s.coreShared().getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(fw.eventsOf("net.consumer")).extracting(TestFramework.Event::toString)
                    .contains("net.consumer STOPPED", "net.consumer UNRESOLVED");
            assertThat(guard.zones().zoneOf(s.netProvider())).isEmpty();
            // the guard forgets it once the framework has (it sweeps when it hears the refresh end)
            long until = System.nanoTime() + 5_000_000_000L;
            while (guard.zones().size() != admitted - 1 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(guard.zones().size()).isEqualTo(admitted - 1);
        }
    }

    @Test
    void installingANetworkBundleWithAHigherExportLeavesCoreAlone() throws Exception {
        try (TestFramework fw = TestFramework.init(storage)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp());
            fw.start();
            Set s = boot(fw, guarded(guard));
            fw.clearEvents();
            Bundle newer = guarded(guard).install(Zone.NETWORK, TestBundle.named("net.newer")
                    .exports("com.example.shared;version=1.9.0")
                    .source("com.example.shared.Api", "package com.example.shared; public interface Api {}"));
            newer.start();
            fw.refresh(newer);
            assertThat(fw.eventsOf(CORE.toArray(String[]::new))).isEmpty();
            assertThat(providerOfShared(s.coreConsumer())).isSameAs(s.coreShared());
        }
    }

    @Test
    void aCoreBundleThatNeedsANetworkExportDoesNotResolve() throws Exception {
        List<String> reports = Collections.synchronizedList(new ArrayList<>());
        try (TestFramework fw = TestFramework.init(storage)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicyTest.shippedApp(), reports::add);
            fw.start();
            Set s = boot(fw, guarded(guard));
            Bundle needsNet = guarded(guard).install(Zone.CORE, TestBundle.named("core.needs.net").imports("com.example.net"));
            assertThatThrownBy(needsNet::start).isInstanceOf(BundleException.class).hasMessageContaining("com.example.net");
            assertThat(reports).anySatisfy(r -> assertThat(r).startsWith("core bundle core.needs.net [")
                    .contains("may not import package com.example.net from network bundle net.provider [")
                    .contains("no rule allows it"));

            fw.clearEvents();
            guard.updateBundle(s.netProvider(), netProvider("3.0.0").jar());
            fw.refresh(s.netProvider());
            assertThat(fw.eventsOf("core.shared", "core.consumer", "core.needs.net")).isEmpty();
        }
    }
}
