package org.voltkeep.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.json.Json;

/**
 * Starts the safety domain, then the application domain, and keeps them running:
 * an application domain that exits is restarted with back-off and never touches
 * the safety domain; a safety domain that exits ends the run (on hardware the
 * watchdog and systemd take over). Stopping opens the contactor first: safety is
 * stopped before the application domain.
 */
final class Supervisor implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final long MIN_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;
    /** An application domain that stayed up this long starts over at the shortest back-off. */
    private static final long STABLE_MS = 30_000;

    record Options(String board, double speed, boolean shell, List<String> safetyJvm, List<String> appJvm) {
        static Options defaults(String board, double speed, boolean shell) {
            return new Options(board, speed, shell,
                    List.of("-Xms16m", "-Xmx48m", "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1"),
                    List.of("-Xms16m", "-Xmx128m", "-XX:+UseSerialGC"));
        }
    }

    private final Installation installation;
    private final DeviceLayout device;
    private final Options options;
    private final Consumer<String> events;
    private final AtomicInteger appRestarts = new AtomicInteger();
    private final CompletableFuture<Integer> safetyExit = new CompletableFuture<>();
    private final CompletableFuture<Void> shellClosed = new CompletableFuture<>();
    private volatile DomainProcess safety;
    private volatile DomainProcess app;
    private volatile boolean stopping;
    private volatile BootVerifier.Boot boot;
    private Thread appWatcher;

    /** @param events one-line notices for the console (restarts, exits) */
    Supervisor(Installation installation, DeviceLayout device, Options options, Consumer<String> events) {
        this.installation = installation;
        this.device = device;
        this.options = options;
        this.events = events;
    }

    /**
     * Verifies the slot's image before starting anything, so a bad slot starts no
     * process, and records the outcome in the security log; each domain verifies
     * again before it installs (the bytes it runs).
     */
    BootVerifier.Boot start() throws IOException, SlotRejectedException {
        String slot = BootState.read(device).primarySlot();
        BootVerifier.Boot boot;
        try {
            boot = BootVerifier.verify(device, slot, options.board());
        } catch (SlotRejectedException e) {
            BootEvents.refused(device, e);
            throw e;
        }
        BootEvents.verified(device, boot);
        this.boot = boot;
        try {
            startDomains();
        } catch (IOException e) {
            close();
            throw e;
        }
        return boot;
    }

    private void startDomains() throws IOException {
        // Each process is tracked before it is waited for, so a stop during start-up stops it too.
        safety = DomainProcess.start(installation, device, domainOptions(BundleDomain.SAFETY), options.safetyJvm());
        safety.awaitReady(device, READY_TIMEOUT);
        safety.process().onExit().thenAccept(p -> {
            if (!stopping) {
                events.accept("safety domain exited unexpectedly with code " + p.exitValue() + "; stopping the run");
            }
            safetyExit.complete(p.exitValue());
        });
        startApp();
        writeState();
        appWatcher = new Thread(this::watchApp, "voltkeep-app-watcher");
        appWatcher.setDaemon(true);
        appWatcher.start();
    }

    private void startApp() throws IOException {
        app = DomainProcess.start(installation, device, domainOptions(BundleDomain.APP), options.appJvm());
        app.awaitReady(device, READY_TIMEOUT);
    }

    /** The slot that was verified, pinned by its manifest's SHA-256: the domain installs from nothing else. */
    private DomainOptions domainOptions(BundleDomain d) {
        return new DomainOptions(d, device.root(), boot.slot(), boot.image().manifestSha256(), options.board(), options.speed(),
                options.shell() && d == BundleDomain.APP);
    }

    private void watchApp() {
        long backoff = MIN_BACKOFF_MS;
        while (!stopping) {
            DomainProcess current = app;
            long startedAt = System.currentTimeMillis();
            int code;
            try {
                code = current.process().waitFor();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping || safetyExit.isDone()) {
                return;
            }
            if (options.shell() && code == 0) {
                // the user left the shell (exit, Ctrl-D): that ends the run, it is no crash
                events.accept("shell closed: stopping");
                shellClosed.complete(null);
                return;
            }
            if (System.currentTimeMillis() - startedAt > STABLE_MS) {
                backoff = MIN_BACKOFF_MS;
            }
            events.accept("application domain exited (code " + code + "); restarting in " + backoff + " ms, safety untouched");
            try {
                Thread.sleep(backoff);
                if (stopping) {
                    return;
                }
                startApp();
                appRestarts.incrementAndGet();
                writeState();
                events.accept("application domain restarted (pid " + app.pid() + ")");
            } catch (IOException e) {
                events.accept("application domain restart failed: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** One line saying what booted and on which trust: development trust is never silent. */
    static String describe(BootVerifier.Boot boot) {
        String trust = boot.trustMode() == org.voltkeep.rot.api.TrustMode.DEVELOPMENT
                ? "DEVELOPMENT trust (development keys accepted; not for the field)"
                : "field trust";
        return "verified boot: slot " + boot.slot() + ", image " + boot.image().manifest().version() + " (security version "
                + boot.image().manifest().securityVersion() + ", manifest " + boot.image().manifestSha256().substring(0, 16)
                + "...), " + boot.image().bundles().size() + " bundles checked in " + boot.verifyMillis() + " ms; " + trust
                + "; root of trust: " + boot.backend().description();
    }

    int appRestarts() {
        return appRestarts.get();
    }

    long safetyPid() {
        return safety.pid();
    }

    long appPid() {
        return app.pid();
    }

    CompletableFuture<Integer> safetyExit() {
        return safetyExit;
    }

    /** Completes when the user closed the application domain's shell. */
    CompletableFuture<Void> shellClosed() {
        return shellClosed;
    }

    void killApp() {
        app.kill();
    }

    void freezeApp() throws IOException {
        app.signal("STOP");
    }

    void thawApp() throws IOException {
        app.signal("CONT");
    }

    private void writeState() {
        try {
            AtomicFiles.write(device.supervisorState(), Json.object()
                    .put("launcherPid", ProcessHandle.current().pid())
                    .put("safetyPid", safety.pid())
                    .put("appPid", app == null ? 0 : app.pid())
                    .put("appRestarts", appRestarts.get())
                    .put("board", options.board())
                    .put("slot", boot.slot())
                    .put("imageVersion", boot.image().manifest().version())
                    .put("securityVersion", boot.image().manifest().securityVersion())
                    .put("manifestSha256", boot.image().manifestSha256())
                    .put("trustMode", boot.trustMode().id())
                    .put("rootOfTrust", boot.backend().description())
                    .writePretty());
        } catch (IOException e) {
            events.accept("cannot write " + device.supervisorState() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (appWatcher != null) {
            appWatcher.interrupt();
        }
        DomainProcess a = app;
        if (a != null && a.alive()) {
            try {
                a.signal("CONT"); // a frozen process cannot handle SIGTERM
            } catch (IOException e) {
                // it may have exited meanwhile; stop() below copes
            }
        }
        if (safety != null && safety.alive()) {
            int code = safety.stop(STOP_GRACE);
            events.accept("safety domain stopped (code " + code + "), contactor open");
        }
        if (a != null && a.alive()) {
            a.stop(STOP_GRACE);
        }
    }
}
