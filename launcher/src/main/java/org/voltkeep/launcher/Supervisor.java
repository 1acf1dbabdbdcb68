package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.json.Json;

/**
 * The boot loader and supervisor of one device. A boot chooses and verifies a slot
 * ({@link SlotStore#select}), then starts the safety domain, waits for it, and starts
 * the application domain. An application domain that exits is restarted with back-off
 * and never touches the safety domain; a safety domain that exits ends the run (on
 * hardware the watchdog and systemd take over). Stopping opens the contactor first:
 * safety is stopped before the application domain.
 *
 * <p>A reboot stops both domains (safety first) and boots again; the launcher process
 * stays. A slot on trial must have both domains ready and pass the health check
 * ({@link HealthProbe}) within the trial window; then it is committed. A failed or late
 * health check, an application domain that keeps exiting, a safety domain that exits,
 * a domain that never gets ready: each rolls the trial back and reboots into the
 * previous good slot.
 */
final class Supervisor implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final long PROBE_INTERVAL_MS = 500;
    private static final long MIN_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;
    /** An application domain that stayed up this long starts over at the shortest back-off. */
    private static final long STABLE_MS = 30_000;

    record Options(String board, double speed, boolean shell, List<String> safetyJvm, List<String> appJvm, DomainUsers users) {
        static Options defaults(String board, double speed, boolean shell) {
            return defaults(board, speed, shell, DomainUsers.SAME_AS_LAUNCHER);
        }

        static Options defaults(String board, double speed, boolean shell, DomainUsers users) {
            return new Options(board, speed, shell,
                    List.of("-Xms16m", "-Xmx48m", "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1"),
                    List.of("-Xms16m", "-Xmx128m", "-XX:+UseSerialGC"), users);
        }
    }

    /** A trial boot that failed; the reason is recorded with the slot. */
    private static final class TrialFailed extends Exception {
        private static final long serialVersionUID = 1L;

        TrialFailed(String reason) {
            super(reason);
        }
    }

    /** One boot: the slot it runs, its domain processes, and its trial's verdict. */
    private static final class Generation {
        final SlotStore.Selected selected;
        final BootConfig config;
        final long startedNanos = System.nanoTime();
        final AtomicInteger appExits = new AtomicInteger();
        final AtomicInteger appRestarts = new AtomicInteger();
        /** Set once: the trial was committed or rolled back (or this boot is no trial). */
        final AtomicBoolean verdict;
        volatile String trialStatus;
        volatile DomainProcess safety;
        volatile DomainProcess app;
        volatile boolean stopping;
        Thread appWatcher;
        Thread trialMonitor;

        Generation(SlotStore.Selected selected, BootConfig config) {
            this.selected = selected;
            this.config = config;
            this.verdict = new AtomicBoolean(!selected.trial());
            this.trialStatus = selected.trial() ? "health check pending" : null;
        }

        BootVerifier.Boot boot() {
            return selected.boot();
        }

        Slot slot() {
            return selected.slot();
        }

        Duration remaining() {
            long left = config.window().toNanos() - (System.nanoTime() - startedNanos);
            return Duration.ofNanos(Math.max(0, left));
        }
    }

    private final Installation installation;
    private final DeviceLayout device;
    private final Options options;
    private final Consumer<String> events;
    private final SlotStore store;
    private final ExecutorService bootThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "voltkeep-boot");
        t.setDaemon(true);
        return t;
    });
    /** The run's exit code: 0 the shell was closed, 1 safety ended, 3 no slot could boot after a reboot. */
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private final Object lock = new Object();
    private volatile Generation current;
    private volatile boolean closed;
    private BootSocket bootSocket;

    /** @param events one-line notices for the console (restarts, exits, reboots, trial verdicts) */
    Supervisor(Installation installation, DeviceLayout device, Options options, Consumer<String> events) {
        this.installation = installation;
        this.device = device;
        this.options = options;
        this.events = events;
        this.store = new SlotStore(device, options.board(), FileOps.REAL, Clock.systemUTC());
    }

    /**
     * Boots: chooses and verifies a slot before starting anything, so a bad slot starts no
     * process, records the outcome in the security log, starts both domains, and serves
     * {@code run/boot.sock}. Returns what booted (after any rollback of a failed trial).
     */
    BootVerifier.Boot start() throws IOException, SlotRejectedException {
        bootSocket = BootSocket.start(device.bootSocket(), this, events);
        Future<Generation> f = bootThread.submit(this::boot);
        try {
            return f.get().boot();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while booting", e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof SlotRejectedException s) {
                throw s;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("boot failed: " + e.getCause(), e.getCause());
        }
    }

    /** Runs on the boot thread only. */
    private Generation boot() throws IOException, SlotRejectedException {
        while (true) {
            if (closed) {
                throw new IOException("stopped while booting");
            }
            BootConfig config;
            try {
                config = BootConfig.read(device);
            } catch (UsageException e) {
                throw new IOException(e.getMessage(), e);
            }
            SlotStore.Selected selected = store.select();
            BootEvents.verified(device, selected.boot());
            try {
                store.copyMissingDefaults(selected.boot());
            } catch (IOException e) {
                // the domains start with what is there; a component without its file stays inactive and says so
                events.accept("cannot copy the default configuration of slot " + selected.slot() + ": " + e.getMessage());
            }
            Generation g = new Generation(selected, config);
            current = g;
            if (!selected.fallbacks().isEmpty()) {
                events.accept("boot: " + selected.reason() + "; " + String.join("; ", selected.fallbacks()));
            }
            try {
                startDomains(g);
            } catch (TrialFailed e) {
                stopDomains(g);
                rollBack(g, e.getMessage());
                continue;
            } catch (IOException e) {
                stopDomains(g);
                throw e;
            }
            if (selected.trial()) {
                events.accept("slot " + g.slot() + " on trial: both domains ready; health check within "
                        + g.remaining().toSeconds() + " s");
                g.trialMonitor = new Thread(() -> monitorTrial(g), "voltkeep-trial");
                g.trialMonitor.setDaemon(true);
                g.trialMonitor.start();
            }
            writeState();
            return g;
        }
    }

    private void startDomains(Generation g) throws IOException, TrialFailed {
        boolean trial = g.selected.trial();
        // Each process is tracked before it is waited for, so a stop during start-up stops it too.
        DomainProcess safety = startProcess(g, BundleDomain.SAFETY);
        try {
            safety.awaitReady(device, trial ? g.remaining() : READY_TIMEOUT);
        } catch (IOException e) {
            if (!trial || closed) {
                throw e;
            }
            throw new TrialFailed(safety.alive()
                    ? "hang: the safety domain was not ready within the trial window of " + g.config.window().toSeconds() + " s"
                    : "the safety domain exited before it was ready (code " + safety.process().exitValue() + ")");
        }
        safety.process().onExit().thenAccept(p -> safetyExited(g, p.exitValue()));
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            DomainProcess app = startProcess(g, BundleDomain.APP);
            try {
                app.awaitReady(device, trial ? g.remaining() : READY_TIMEOUT);
                break;
            } catch (IOException e) {
                if (!trial || closed) {
                    throw e;
                }
                if (app.alive()) {
                    throw new TrialFailed("hang: the application domain was not ready within the trial window of "
                            + g.config.window().toSeconds() + " s");
                }
                int exits = g.appExits.incrementAndGet();
                String last = "last exit code " + app.process().exitValue();
                if (exits >= g.config.maxAppExits()) {
                    throw new TrialFailed("crash loop: the application domain exited " + exits + " times during the trial ("
                            + last + ")");
                }
                if (g.remaining().isZero()) {
                    throw new TrialFailed("hang: the application domain was not ready within the trial window of "
                            + g.config.window().toSeconds() + " s (" + exits + " exits, " + last + ")");
                }
                events.accept("slot " + g.slot() + " on trial: application domain exited before it was ready (" + last
                        + "); restarting (" + exits + " of " + g.config.maxAppExits() + " exits allowed)");
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        g.appWatcher = new Thread(() -> watchApp(g), "voltkeep-app-watcher");
        g.appWatcher.setDaemon(true);
        g.appWatcher.start();
    }

    private DomainProcess startProcess(Generation g, BundleDomain d) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IOException("stopped while booting");
            }
            DomainProcess p = DomainProcess.start(installation, device, domainOptions(d, g.boot()),
                    d == BundleDomain.SAFETY ? options.safetyJvm() : options.appJvm(), options.users());
            if (d == BundleDomain.SAFETY) {
                g.safety = p;
            } else {
                g.app = p;
            }
            return p;
        }
    }

    /** The slot that was verified, pinned by its manifest's SHA-256: the domain installs from nothing else. */
    private DomainOptions domainOptions(BundleDomain d, BootVerifier.Boot boot) {
        return new DomainOptions(d, device.root(), boot.slot(), boot.image().manifestSha256(), options.board(), options.speed(),
                options.shell() && d == BundleDomain.APP);
    }

    private void safetyExited(Generation g, int code) {
        if (g.stopping || closed) {
            return;
        }
        if (!g.verdict.get()) {
            failTrial(g, "the safety domain exited during the trial (code " + code + ")");
            return;
        }
        events.accept("safety domain exited unexpectedly with code " + code + "; stopping the run");
        finished.complete(1);
    }

    private void watchApp(Generation g) {
        long backoff = MIN_BACKOFF_MS;
        while (!g.stopping) {
            DomainProcess app = g.app;
            long startedAt = System.currentTimeMillis();
            int code;
            try {
                code = app.process().waitFor();
            } catch (InterruptedException e) {
                return;
            }
            if (g.stopping || closed || !g.safety.alive()) {
                return;
            }
            if (options.shell() && code == 0) {
                // the user left the shell (exit, Ctrl-D): that ends the run, it is no crash
                events.accept("shell closed: stopping");
                finished.complete(0);
                return;
            }
            if (!g.verdict.get()) {
                int exits = g.appExits.incrementAndGet();
                if (exits >= g.config.maxAppExits()) {
                    failTrial(g, "crash loop: the application domain exited " + exits + " times during the trial (last exit code "
                            + code + ")");
                    return;
                }
            }
            if (System.currentTimeMillis() - startedAt > STABLE_MS) {
                backoff = MIN_BACKOFF_MS;
            }
            events.accept("application domain exited (code " + code + "); restarting in " + backoff + " ms, safety untouched");
            try {
                Thread.sleep(backoff);
                if (g.stopping) {
                    return;
                }
                startProcess(g, BundleDomain.APP).awaitReady(device, READY_TIMEOUT);
                g.appRestarts.incrementAndGet();
                writeState();
                events.accept("application domain restarted (pid " + g.app.pid() + ")");
            } catch (IOException e) {
                events.accept("application domain restart failed: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** Polls the health check until it passes (commit) or the trial window closes (roll back). */
    private void monitorTrial(Generation g) {
        HealthProbe.Result last = HealthProbe.Result.unreachable("not asked yet");
        while (!g.stopping && !g.verdict.get()) {
            Duration left = g.remaining();
            if (left.isZero()) {
                failTrial(g, "health check did not pass within the trial window of " + g.config.window().toSeconds() + " s: "
                        + last.summary());
                return;
            }
            last = HealthProbe.check(device.appSocket(), left.compareTo(PROBE_TIMEOUT) < 0 ? left : PROBE_TIMEOUT);
            if (last.healthy()) {
                commit(g, last);
                return;
            }
            g.trialStatus = "health check pending: " + last.summary();
            sleep(PROBE_INTERVAL_MS);
        }
    }

    private void commit(Generation g, HealthProbe.Result health) {
        if (!g.verdict.compareAndSet(false, true)) {
            return;
        }
        long ms = (System.nanoTime() - g.startedNanos) / 1_000_000;
        String why = "committed " + java.time.Instant.now() + ": health check passed " + ms + " ms after the trial boot ("
                + health.summary() + ")";
        try {
            store.commit(g.slot(), g.boot(), why);
            long floor = store.floor();
            BootEvents.committed(device, g.boot(), floor);
            g.trialStatus = "committed";
            events.accept("slot " + g.slot() + " committed: image " + g.boot().image().manifest().version()
                    + " is good and primary; anti-rollback floor " + floor);
        } catch (IOException | SlotStore.Refused e) {
            // the trial stays recorded: the next boot tries it again with one attempt fewer
            g.trialStatus = "commit failed: " + e.getMessage();
            events.accept("slot " + g.slot() + ": commit failed: " + e.getMessage());
        }
        writeState();
    }

    /** Ends a trial that failed: rolls back and reboots into the previous good slot (on the boot thread). */
    private void failTrial(Generation g, String reason) {
        if (!g.verdict.compareAndSet(false, true)) {
            return;
        }
        g.trialStatus = "failed: " + reason;
        bootThread.submit(() -> {
            if (current != g || closed) {
                return;
            }
            stopDomains(g);
            try {
                rollBack(g, reason);
            } catch (IOException e) {
                // the trial stays recorded with one attempt fewer; the boot below decides again
                events.accept("slot " + g.slot() + ": cannot record the rollback: " + e.getMessage());
            }
            bootAgain();
        });
    }

    private void rollBack(Generation g, String reason) throws IOException {
        try {
            store.rollBack(g.slot(), reason);
        } catch (SlotStore.Refused e) {
            throw new IOException("cannot roll back slot " + g.slot() + ": " + e.getMessage(), e);
        }
        events.accept("slot " + g.slot() + " rolled back and marked bad: " + reason);
    }

    /** On the boot thread: boot after a reboot; a run that cannot boot again ends. */
    private void bootAgain() {
        try {
            Generation g = boot();
            events.accept(describe(g.boot()) + " [" + g.selected.reason() + "]");
        } catch (SlotRejectedException e) {
            events.accept(e.getMessage());
            finished.complete(3);
        } catch (IOException e) {
            if (!closed) {
                events.accept("boot failed: " + e.getMessage());
                finished.complete(1);
            }
        }
    }

    // ---- requests from run/boot.sock --------------------------------------------------

    /** The slot store as it stands, with the booted slot and the floor. */
    Json.Obj slots() throws IOException {
        Generation g = current;
        return SlotsView.json(store.state(), store.floor(), g == null ? Optional.empty() : Optional.of(g.slot()));
    }

    SlotStore.Installed install(java.nio.file.Path image, SlotStore.Progress progress) throws InstallRejected {
        Generation g = current;
        if (g == null) {
            throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "the device is still booting");
        }
        return store.install(image, g.slot(), progress);
    }

    /** Records the installed slot for its trial; {@link #rebootForTrial} then boots it. */
    Slot activate() throws IOException, SlotStore.Refused {
        Generation g = current;
        if (g == null) {
            throw new SlotStore.Refused("the device is still booting");
        }
        BootConfig config;
        try {
            config = BootConfig.read(device);
        } catch (UsageException e) {
            throw new SlotStore.Refused(e.getMessage());
        }
        return store.activate(g.slot(), config.attempts());
    }

    void rebootForTrial(Slot slot) {
        Generation g = current;
        bootThread.submit(() -> {
            if (closed || current != g) {
                return;
            }
            String why = "reboot into slot " + slot + " for its trial";
            BootEvents.reboot(device, why);
            events.accept(why);
            stopDomains(g);
            bootAgain();
        });
    }

    // ---- what the command line and the demo see ----------------------------------------

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

    /** Why the running slot booted (primary, trial, fallback). */
    String bootReason() {
        return current.selected.reason();
    }

    int appRestarts() {
        return current.appRestarts.get();
    }

    long safetyPid() {
        return current.safety.pid();
    }

    long appPid() {
        return current.app.pid();
    }

    /** Completes with the run's exit code when it ends by itself: 0 shell closed, 1 safety ended, 3 nothing could boot. */
    CompletableFuture<Integer> finished() {
        return finished;
    }

    void killApp() {
        current.app.kill();
    }

    void freezeApp() throws IOException {
        current.app.signal("STOP");
    }

    void thawApp() throws IOException {
        current.app.signal("CONT");
    }

    private void writeState() {
        Generation g = current;
        if (g == null || g.safety == null) {
            return;
        }
        BootVerifier.Boot boot = g.boot();
        Json.Arr fallbacks = Json.array();
        g.selected.fallbacks().forEach(fallbacks::add);
        try {
            AtomicFiles.write(device.supervisorState(), Json.object()
                    .put("launcherPid", ProcessHandle.current().pid())
                    .put("safetyPid", g.safety.pid())
                    .put("appPid", g.app == null ? 0 : g.app.pid())
                    .put("appRestarts", g.appRestarts.get())
                    .put("board", options.board())
                    .put("slot", boot.slot())
                    .put("bootReason", g.selected.reason())
                    .put("fallbacks", fallbacks)
                    .put("trial", g.selected.trial())
                    .put("trialStatus", g.trialStatus)
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

    /** Stops a boot's domains: safety first (contactor open), then the application domain. */
    private void stopDomains(Generation g) {
        g.stopping = true;
        if (g.appWatcher != null) {
            g.appWatcher.interrupt();
        }
        if (g.trialMonitor != null) {
            g.trialMonitor.interrupt();
        }
        DomainProcess a;
        DomainProcess s;
        synchronized (lock) {
            a = g.app;
            s = g.safety;
        }
        if (a != null && a.alive()) {
            try {
                a.signal("CONT"); // a frozen process cannot handle SIGTERM
            } catch (IOException e) {
                // it may have exited meanwhile; stop() below copes
            }
        }
        if (s != null && s.alive()) {
            int code = s.stop(STOP_GRACE);
            events.accept("safety domain stopped (code " + code + "), contactor open");
        }
        if (a != null && a.alive()) {
            a.stop(STOP_GRACE);
        }
        for (BundleDomain d : BundleDomain.values()) {
            try {
                Files.deleteIfExists(device.readyMarker(d));
            } catch (IOException e) {
                // a stale marker names a pid that is gone: awaitReady ignores it
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (bootSocket != null) {
            bootSocket.close();
        }
        Generation g = current;
        if (g != null) {
            stopDomains(g);
        }
        bootThread.shutdown();
    }
}
