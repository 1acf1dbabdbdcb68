package org.voltkeep.integration.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** What a healthy domain looks like from inside its framework. */
public final class DomainChecks {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private DomainChecks() {
    }

    /** The runtime's own bundles (not the tests). */
    public static List<Bundle> voltkeepBundles(BundleContext context) {
        List<Bundle> r = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn.startsWith("org.voltkeep.") && !bsn.startsWith("org.voltkeep.integration")) {
                r.add(b);
            }
        }
        return r;
    }

    /**
     * Everything that keeps a domain from being healthy: a bundle not active, a
     * component without configuration, or one whose references or activation failed.
     * Empty when all is well.
     */
    public static List<String> problems(BundleContext context, ServiceComponentRuntime scr) {
        List<String> p = new ArrayList<>();
        for (Bundle b : voltkeepBundles(context)) {
            if (b.getState() != Bundle.ACTIVE) {
                p.add(b.getSymbolicName() + " not active");
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                var configs = scr.getComponentConfigurationDTOs(d);
                if (configs.isEmpty()) {
                    p.add(d.name + ": no configuration");
                }
                for (ComponentConfigurationDTO c : configs) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        p.add(d.name + ": state " + c.state + (c.failure != null ? " " + c.failure : ""));
                    }
                }
            }
        }
        return p;
    }

    public static long componentCount(BundleContext context, ServiceComponentRuntime scr) {
        return voltkeepBundles(context).stream().mapToLong(b -> scr.getComponentDescriptionDTOs(b).size()).sum();
    }

    public static void awaitTrue(String what, BooleanSupplier condition, Supplier<String> detail) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
    }
}
