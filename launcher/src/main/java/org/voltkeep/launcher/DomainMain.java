package org.voltkeep.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.voltkeep.image.BundleDomain;

/**
 * The entry point of one domain process: a Felix framework holding exactly the
 * accepted bundles of the booted slot. On SIGTERM the framework stops, which
 * deactivates the safety controller (contactor open) before the JVM exits.
 *
 * <p>Exit codes: 0 stopped on request, 3 the slot was rejected, 4 a bundle failed to start, 2 usage.
 */
public final class DomainMain {
    private DomainMain() {
    }

    public static void main(String[] argv) {
        System.exit(run(List.of(argv)));
    }

    static int run(List<String> argv) {
        DomainOptions options;
        try {
            options = DomainOptions.parse(argv);
        } catch (UsageException e) {
            System.err.println("voltkeep domain: " + e.getMessage());
            return 2;
        }
        DeviceLayout device = new DeviceLayout(options.device());
        BundleDomain domain = options.domain();
        List<AcceptedBundle> bundles;
        try {
            // Each domain verifies the image itself, right before it installs: the
            // bytes it runs are the bytes that were verified, with no gap in between.
            BootVerifier.Boot verified = BootVerifier.verifyFor(device, options.slot(), options.board(), domain,
                    SlotStore.floorFor(device, Slot.parse(options.slot())));
            bundles = BundleAcceptor.accept(verified, domain);
            log(domain, "slot " + options.slot() + ": image " + verified.image().manifest().version() + " verified ("
                    + verified.trustMode().id() + " trust, " + verified.backend().kind().id() + " root of trust) in "
                    + verified.verifyMillis() + " ms; " + bundles.size() + " bundles accepted");
        } catch (SlotRejectedException e) {
            log(domain, "boot refused: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            log(domain, "boot refused: cannot read the boot state for slot " + options.slot() + "'s floor: " + e.getMessage());
            return 3;
        }
        Framework framework = null;
        try {
            Files.deleteIfExists(device.readyMarker(domain));
            framework = newFramework(device, options);
            framework.init();
            List<Bundle> installed = new ArrayList<>();
            for (AcceptedBundle b : bundles) {
                installed.add(framework.getBundleContext().installBundle(b.location(), new ByteArrayInputStream(b.bytes())));
            }
            framework.start();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            Framework running = framework;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopFramework(running, domain), "voltkeep-shutdown"));
            exitWithParent(domain);
            AtomicFiles.write(device.readyMarker(domain), Long.toString(ProcessHandle.current().pid()));
            log(domain, "ready: " + installed.size() + " bundles active, pid " + ProcessHandle.current().pid());
            FrameworkEvent end = framework.waitForStop(0);
            log(domain, "framework stopped (" + end.getType() + ")");
            return 0;
        } catch (BundleException | IOException e) {
            log(domain, "start failed: " + e.getMessage());
            if (framework != null) {
                stopFramework(framework, domain);
            }
            return 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopFramework(framework, domain);
            return 0;
        }
    }

    /**
     * A domain never outlives its supervisor: when the launcher is gone (killed, or
     * crashed), the domain stops as on SIGTERM, so safety opens the contactor and no
     * orphan holds the board or the sockets. On a device the service manager then
     * restarts the whole charger.
     */
    private static void exitWithParent(BundleDomain domain) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            log(domain, "supervisor (pid " + parent.pid() + ") is gone: stopping");
            new Thread(() -> System.exit(0), "voltkeep-orphan-exit").start();
        }));
    }

    private static Framework newFramework(DeviceLayout device, DomainOptions options) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, device.frameworkStorage(options.domain()).toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // The link server reads the peer's Unix credentials through jdk.net.
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.net");
        p.put("voltkeep.device", device.root().toString());
        p.put("voltkeep.domain", options.domain().id());
        p.put("voltkeep.config.dir", device.configDir(options.domain()).toString());
        p.put("voltkeep.run.dir", device.run().toString());
        p.put("voltkeep.data.dir", device.data().toString());
        p.put("voltkeep.sim.speed", Double.toString(options.speed()));
        p.put("voltkeep.board", options.board());
        p.put("gosh.args", options.shell() ? "" : "--nointeractive");
        p.put("gosh.home", device.run().toString());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        return factory.newFramework(p);
    }

    private static void stopFramework(Framework framework, BundleDomain domain) {
        try {
            if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
                framework.stop();
                framework.waitForStop(10_000);
            }
        } catch (BundleException e) {
            log(domain, "stop failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(BundleDomain domain, String message) {
        System.err.println("[voltkeep " + domain.id() + "] " + message);
    }
}
