package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.PinnedImage;

/**
 * The entry point of one domain process: a Felix framework holding exactly the
 * accepted bundles of the slot the launcher verified and named on the command line. On SIGTERM the framework stops, which
 * deactivates the safety controller (contactor open) before the JVM exits.
 *
 * <p>Exit codes: 0 stopped on request, 3 the slot is not the image the launcher verified
 * (nothing installed; the log names the entry), 4 a bundle failed to start, 2 usage.
 */
public final class DomainMain {
    /** The pinned image and how long reading and checking it took. */
    private record Pinned(PinnedImage image, long millis) {
    }

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
        // The launcher verified this slot's image before it started this process. Here the
        // image is read once more and pinned to the manifest the launcher verified: its
        // SHA-256 must be the one on the command line, and each of this domain's bundles must
        // have the hash and size that manifest lists. Hashes only: the signatures were checked
        // once, by the launcher. The check needs no framework, so it runs while the framework
        // starts; nothing is installed until it has passed.
        CompletableFuture<Pinned> pin = new CompletableFuture<>();
        Thread pinning = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                PinnedImage image = PinnedImage.read(device.slotImage(options.slot()), options.manifestSha256(), domain,
                        DeviceLayout.IMAGE_LIMITS);
                pin.complete(new Pinned(image, (System.nanoTime() - t0) / 1_000_000));
            } catch (ImageRejected | RuntimeException e) {
                pin.completeExceptionally(e);
            }
        }, "voltkeep-pin");
        pinning.setDaemon(true);
        pinning.start();
        Framework framework = null;
        try {
            Files.deleteIfExists(device.readyMarker(domain));
            framework = newFramework(device, options);
            framework.init();
            long waitStart = System.nanoTime();
            Pinned pinned;
            try {
                pinned = pin.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ImageRejected r) {
                    log(domain, "boot refused: slot " + options.slot() + " is not the image the launcher verified: " + r.getMessage());
                    stopFramework(framework, domain);
                    return 3;
                }
                throw e;
            }
            long waited = (System.nanoTime() - waitStart) / 1_000_000;
            List<AcceptedBundle> bundles = BundleAcceptor.accept(options.slot(), pinned.image());
            log(domain, "slot " + options.slot() + ": image " + pinned.image().manifest().version() + " pinned to its verified manifest "
                    + options.manifestSha256().substring(0, 16) + "...: " + bundles.size() + " bundles checked in " + pinned.millis()
                    + " ms, alongside the framework's start (" + waited + " ms waited for the check)");
            List<Bundle> installed = new ArrayList<>();
            for (AcceptedBundle b : bundles) {
                installed.add(framework.getBundleContext().installBundle(b.location(), b.open()));
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
        // The launcher's own class path (SLF4J, Bouncy Castle) must stay invisible to bundles:
        // with Felix's implicit boot delegation a ServiceLoader inside a bundle finds the class
        // path's SLF4J provider, which is not the bundles' SLF4J, and every bundle logs nowhere.
        p.put("felix.bootdelegation.implicit", "false");
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
