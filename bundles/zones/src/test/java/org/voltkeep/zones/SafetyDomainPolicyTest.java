package org.voltkeep.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.voltkeep.rot.api.Zone;

/** The safety domain under the shipped {@code runtime-config/zones/safety.policy}: safety-zone bundles only. */
class SafetyDomainPolicyTest {
    @TempDir
    Path storage;

    @Test
    void theSafetyDomainInstallsSafetyBundlesOnly() throws Exception {
        try (TestFramework fw = TestFramework.init(storage)) {
            ZoneGuard guard = ZoneGuard.install(fw.system(), ZonePolicy.read(RuntimeConfig.zones().resolve("safety.policy")));
            fw.start();
            for (Zone refused : new Zone[] {Zone.CORE, Zone.NETWORK}) {
                assertThatThrownBy(() -> guard.installBundle(refused, "x." + refused.id(), TestBundle.named("x." + refused.id()).jar()))
                        .isInstanceOf(BundleException.class)
                        .hasMessageStartingWith("x." + refused.id() + ": zone " + refused.id() + " is not accepted in the safety domain (")
                        .hasMessageEndingWith("safety.policy); not installed");
            }
            assertThat(fw.system().getBundles()).hasSize(1);

            Bundle hal = guard.installBundle(Zone.SAFETY, "test.hal", ZoneGuardTest.exporter("test.hal", "org.voltkeep.hal", "Board"));
            Bundle controller = guard.installBundle(Zone.SAFETY, "test.controller",
                    TestBundle.named("test.controller").imports("org.voltkeep.hal, org.osgi.framework").jar());
            controller.start();
            assertThat(controller.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(ZoneGuardTest.providerOf(controller, "org.voltkeep.hal")).isSameAs(hal);
            assertThat(controller.getBundleContext().getBundles()).contains(hal);
        }
    }
}
