package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateSource;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.agent.internal.UpdateTable.Event;

/**
 * Runs one update at a time through {@link UpdateTable}: a worker thread runs the
 * step of the current status (download, install, wait for the charger, activate,
 * wait for the commit), and the step's event gives the next status. Every status
 * change is saved before anyone is told, so a domain that restarts (or reboots into
 * the new slot) goes on where it was: a download resumes, an install is asked
 * again, an activation is reconciled with what the launcher reports.
 */
final class UpdateEngine implements AutoCloseable {
    static final String IMAGE = "image.vkimg";
    static final String PARTIAL = "image.part";
    private static final Logger LOG = LoggerFactory.getLogger(UpdateEngine.class);
    private static final long SAVE_PROGRESS_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long NOTIFY_PROGRESS_NANOS = Duration.ofMillis(200).toNanos();

    /** The outcome of one step: the event, the reason for the status, and what else changes in it. */
    record Step(Event event, String reason, UnaryOperator<UpdateStatus> change) {
        Step(Event event, String reason) {
            this(event, reason, UnaryOperator.identity());
        }
    }

    private final AgentSettings settings;
    private final StateFile stateFile;
    private final BootClient boot;
    private final Supplier<ChargingService> charging;
    private final Consumer<UpdateStatus> listeners;
    private final Clock clock;
    private final HttpsDownloader https;
    private final String httpsProblem;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}; null when this device never had an update. */
    private AgentState state;
    private long lastSaveNanos;
    private long lastNotifyNanos;
    private Thread worker;
    private volatile boolean closed;
    /** The stop a forced update sent, kept across the steps of one wait (worker thread only). */
    private ForcedStop forcedStop;
    /** When this instance had the launcher accept the activation; -1 when it did not (worker thread only). */
    private long activatedAtNanos = -1;
    /** The launcher's name of the slot that holds the recovery image. */
    static final String RECOVERY_SLOT = "r";

    UpdateEngine(AgentSettings settings, Supplier<ChargingService> charging, Consumer<UpdateStatus> listeners, Clock clock) {
        this.settings = settings;
        this.stateFile = new StateFile(settings.downloadDir());
        this.boot = new BootClient(settings.bootSocket(), settings.bootTimeout());
        this.charging = charging;
        this.listeners = listeners;
        this.clock = clock;
        HttpsDownloader h = null;
        String problem = "";
        try {
            SSLContext ssl = TrustAnchors.context(settings.trustAnchorsPem());
            h = new HttpsDownloader(settings, ssl);
        } catch (IOException e) {
            // the agent still serves file updates and statuses; https requests are refused with this reason
            problem = e.getMessage();
            LOG.error("https downloads are not available: {}", problem);
        }
        this.https = h;
        this.httpsProblem = problem;
    }

    /** Reads the saved state and goes on with an update that was under way. */
    void open() {
        Optional<AgentState> saved;
        try {
            saved = stateFile.load();
        } catch (IOException e) {
            LOG.warn("update state not readable, starting without it: {}", e.getMessage());
            saved = Optional.empty();
        }
        synchronized (lock) {
            state = saved.orElse(null);
            if (state != null && !state.status().status().terminal()) {
                LOG.info("update {} from {} was {} before this start: going on", state.status().requestId(),
                        state.status().source(), state.status().status());
                startWorker();
            }
        }
    }

    UpdateStatus start(UpdateRequest request) throws UpdateException {
        UpdateStatus started;
        synchronized (lock) {
            if (closed) {
                throw new UpdateException("the update agent is stopping");
            }
            if (state != null && !state.status().status().terminal()) {
                UpdateStatus cur = state.status();
                if (request.force() && cur.source().equals(request.source().text()) && beforeActivation(cur.status())) {
                    if (!cur.forced()) {
                        LOG.info("update {}: forced now; a running session will be stopped", cur.requestId());
                        commit(state.with(cur.withForced(clock.instant())), true);
                    }
                    started = state.status();
                } else {
                    throw new UpdateException("update " + cur.requestId() + " from " + cur.source() + " is under way ("
                            + cur.status() + "); a new one can start when it has ended"
                            + (beforeActivation(cur.status()) && !cur.forced() ? " (to force this one, request it again with force)" : ""));
                }
            } else {
                started = begin(request);
            }
        }
        listeners.accept(started);
        return started;
    }

    /** Under {@link #lock}: a new update, saved before it starts. */
    private UpdateStatus begin(UpdateRequest request) throws UpdateException {
        if (request.source() instanceof UpdateSource.LocalFile f) {
            String problem = FileCopier.problem(f.path(), settings.maxImageBytes());
            if (problem != null) {
                throw new UpdateException(problem);
            }
        } else if (https == null) {
            throw new UpdateException("https downloads are not available: " + httpsProblem);
        }
        UpdateStatus first = UpdateStatus.begin(UUID.randomUUID().toString(), request, clock.instant());
        Optional<AgentState.Resume> resume = state == null ? Optional.empty()
                : state.resume().filter(r -> r.url().equals(request.source().text()));
        AgentState next = new AgentState(first, resume);
        try {
            stateFile.save(next);
        } catch (IOException e) {
            throw new UpdateException("cannot save the update state in " + stateFile.path() + ": " + e.getMessage(), e);
        }
        state = next;
        lastSaveNanos = System.nanoTime();
        LOG.info("update {} from {} started{}", first.requestId(), first.source(), first.forced() ? " (forced)" : "");
        startWorker();
        return first;
    }

    Optional<UpdateStatus> status() {
        synchronized (lock) {
            return state == null ? Optional.empty() : Optional.of(state.status());
        }
    }

    BootSlots slots() throws UpdateException {
        try {
            return boot.slots();
        } catch (BootClient.BootException e) {
            throw new UpdateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted while asking the launcher for its slots");
        }
    }

    @Override
    public void close() {
        Thread w;
        synchronized (lock) {
            closed = true;
            w = worker;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean beforeActivation(FirmwareStatus s) {
        return switch (s) {
            case Downloading, Downloaded, SignatureVerified, InstallScheduled -> true;
            default -> false;
        };
    }

    /** Under {@link #lock}. */
    private void startWorker() {
        String id = state.status().requestId();
        Thread t = new Thread(() -> work(id), "voltkeep-update");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    private AgentState current() {
        synchronized (lock) {
            return state;
        }
    }

    private void work(String requestId) {
        try {
            while (!closed) {
                AgentState s = current();
                if (s == null || !s.status().requestId().equals(requestId) || s.status().status().terminal()) {
                    return;
                }
                Step step = switch (s.status().status()) {
                    case Downloading -> download(s);
                    case Downloaded -> install();
                    case SignatureVerified, InstallScheduled -> schedule(s);
                    case Installing -> activate(s);
                    case InstallRebooting -> awaitCommit(s);
                    default -> throw new IllegalStateException("no step for " + s.status().status());
                };
                apply(requestId, step);
            }
        } catch (InterruptedException e) {
            AgentState s = current();
            LOG.info("update {} paused at {}; it goes on at the next start", requestId, s == null ? "?" : s.status().status());
        } catch (RuntimeException e) {
            LOG.error("update {} failed inside the agent: {}", requestId, e.toString(), e);
            AgentState s = current();
            if (s != null && s.status().requestId().equals(requestId) && !s.status().status().terminal()) {
                FirmwareStatus end = s.status().status() == FirmwareStatus.Downloading ? FirmwareStatus.DownloadFailed
                        : FirmwareStatus.InstallationFailed;
                commitAndNotify(s.with(s.status().withStatus(end, "internal error in the update agent: " + e, clock.instant())), true);
            }
        }
    }

    private void apply(String requestId, Step step) {
        UpdateStatus before;
        AgentState next;
        synchronized (lock) {
            if (state == null || !state.status().requestId().equals(requestId)) {
                return;
            }
            before = state.status();
            FirmwareStatus to = UpdateTable.next(before.status(), step.event());
            UpdateStatus changed = step.change().apply(before);
            if (to == before.status() && step.reason().equals(before.reason()) && changed.equals(before)) {
                return;
            }
            next = state.with(changed.withStatus(to, step.reason(), clock.instant()));
            commit(next, true);
        }
        UpdateStatus after = next.status();
        if (after.status() != before.status()) {
            LOG.info("update {}: {} -> {}{}", requestId, before.status(), after.status(),
                    after.reason().isEmpty() ? "" : " (" + after.reason() + ")");
        } else {
            LOG.info("update {}: {} ({})", requestId, after.status(), after.reason());
        }
        listeners.accept(after);
    }

    /** Under {@link #lock}: the new state, saved now when it matters, else at most once a second. */
    private void commit(AgentState next, boolean important) {
        state = next;
        long now = System.nanoTime();
        if (important || now - lastSaveNanos >= SAVE_PROGRESS_NANOS) {
            try {
                stateFile.save(next);
                lastSaveNanos = now;
            } catch (IOException e) {
                LOG.warn("cannot save the update state in {}: {}", stateFile.path(), e.getMessage());
            }
        }
    }

    private void commitAndNotify(AgentState next, boolean important) {
        synchronized (lock) {
            commit(next, important);
        }
        listeners.accept(next.status());
    }

    private void progress(String phase, long done, long total) {
        UpdateStatus s;
        boolean notify;
        synchronized (lock) {
            if (state == null) {
                return;
            }
            commit(state.with(state.status().withProgress(phase, done, total, clock.instant())), false);
            s = state.status();
            long now = System.nanoTime();
            notify = now - lastNotifyNanos >= NOTIFY_PROGRESS_NANOS || done == total;
            if (notify) {
                lastNotifyNanos = now;
            }
        }
        if (notify) {
            listeners.accept(s);
        }
    }

    private void saveResume(Optional<AgentState.Resume> resume) {
        synchronized (lock) {
            if (state != null) {
                commit(state.withResume(resume), true);
            }
        }
    }

    // ---- the steps, one per status ----

    private Step download(AgentState s) throws InterruptedException {
        Path dir = settings.downloadDir();
        Path done = dir.resolve(IMAGE);
        Path partial = dir.resolve(PARTIAL);
        FileCopier.deleteQuietly(done);
        UpdateSource source;
        try {
            source = UpdateSource.parse(s.status().source());
        } catch (IllegalArgumentException e) {
            return new Step(Event.DOWNLOAD_FAILED, e.getMessage());
        }
        try {
            if (source instanceof UpdateSource.LocalFile f) {
                FileCopier.deleteQuietly(partial);
                FileCopier.copy(f.path(), partial, done, settings.maxImageBytes(), this::progress);
            } else if (https == null) {
                return new Step(Event.DOWNLOAD_FAILED, "https downloads are not available: " + httpsProblem);
            } else {
                https.fetch(((UpdateSource.Https) source).uri(), partial, done, s.resume(), this::saveResume, this::progress);
            }
            return new Step(Event.DOWNLOADED, "");
        } catch (DownloadException e) {
            return new Step(Event.DOWNLOAD_FAILED, e.getMessage()
                    + (e.keepPartial() && Files.exists(partial) ? "; the partial download is kept, a new request of the same URL resumes it" : ""));
        }
    }

    private Step install() throws InterruptedException {
        Path image = settings.downloadDir().resolve(IMAGE);
        if (!Files.exists(image)) {
            return new Step(Event.INSTALL_FAILED, "the downloaded image " + image + " is gone");
        }
        BootClient.InstallResult r;
        try {
            r = boot.install(image, this::progress);
        } catch (BootClient.BootException e) {
            FileCopier.deleteQuietly(image);
            return new Step(Event.INSTALL_FAILED, e.getMessage());
        }
        FileCopier.deleteQuietly(image);
        if (r instanceof BootClient.Installed i) {
            return new Step(Event.INSTALLED, "image " + i.version() + " (security version " + i.securityVersion()
                    + ") verified and installed into slot " + i.slot(),
                    st -> st.withInstalled(i.slot(), i.version(), i.securityVersion(), clock.instant()));
        }
        BootClient.Refused refused = (BootClient.Refused) r;
        Event e = switch (refused.status()) {
            case InvalidSignature -> Event.INVALID_SIGNATURE;
            case InstallVerificationFailed -> Event.VERIFICATION_FAILED;
            default -> Event.INSTALL_FAILED;
        };
        return new Step(e, refused.error());
    }

    /**
     * Waits for the charger: returns as soon as the status must change (or its reason
     * does). A forced update stops the session and then waits for a status newer than
     * the stop that shows the contactor open.
     */
    private Step schedule(AgentState s) throws InterruptedException {
        String reason = s.status().reason();
        if (forcedStop == null || !forcedStop.requestId.equals(s.status().requestId())) {
            forcedStop = new ForcedStop(s.status().requestId());
        }
        ForcedStop f = forcedStop;
        // asked of the launcher once, and only when the charger is not idle by its status alone
        Boolean recovery = null;
        while (true) {
            boolean forced = current().status().forced();
            ChargingService c = charging.get();
            Optional<ChargerStatus> cs = c == null ? Optional.empty() : c.status();
            String link = c == null ? LinkState.DISCONNECTED + ", no link client" : c.linkState().toString();
            Step step;
            boolean heldOpen = cs.map(ChargerView::heldOpen).orElse(true);
            if (cs.isPresent() && ChargerView.idle(cs.get())) {
                step = new Step(Event.CHARGER_IDLE, forced && f.triedAtNanos >= 0
                        ? "forced: session " + f.session + " ended, no vehicle connected" : "no vehicle connected");
            } else if (heldOpen && (recovery != null ? recovery : (recovery = recoveryRuns()))) {
                // the recovery image's safety holds the pilot at state F whether or not a car is there:
                // waiting for state A would wait forever, and there is no session to disturb
                step = new Step(Event.CHARGER_IDLE, "the recovery image runs (slot r): no session can start, the contactor is held open");
            } else if (!forced) {
                step = new Step(Event.CHARGER_BUSY, ChargerView.busy(cs, link));
            } else if (cs.isEmpty()) {
                step = new Step(Event.FORCED_WITHOUT_STATUS, "forced without a status from safety (link " + link
                        + "): the launcher stops safety first, which opens the contactor");
            } else {
                ChargerStatus st = cs.get();
                if (f.triedAtNanos < 0) {
                    f.triedAtNanos = System.nanoTime();
                    f.boardMillis = st.boardMillis();
                    f.session = st.sessionId();
                    f.refusal = stop(c, st);
                    step = new Step(Event.SESSION_STOPPING, stopping(f.session, f.refusal));
                } else if (st.boardMillis() > f.boardMillis && ChargerView.contactorOpen(st)) {
                    step = new Step(Event.CONTACTOR_OPEN, "forced: session " + f.session
                            + " stopped, safety reports the contactor open");
                } else if (System.nanoTime() - f.triedAtNanos > settings.stopTimeout().toNanos()) {
                    step = new Step(Event.STOP_TIMED_OUT, "forced: the contactor did not open within "
                            + AgentSettings.words(settings.stopTimeout()) + " after the stop (commanded "
                            + (st.contactorCommanded() ? "closed" : "open") + ", feedback "
                            + (st.contactorFeedback() ? "closed" : "open") + "); the new slot is not activated");
                } else {
                    if (!f.refusal.isEmpty() && !st.stopRequested()) {
                        // safety did not take the stop (link down a moment, say): ask again
                        f.refusal = stop(c, st);
                    }
                    step = new Step(Event.SESSION_STOPPING, stopping(f.session, f.refusal));
                }
            }
            FirmwareStatus to = UpdateTable.next(s.status().status(), step.event());
            if (to != s.status().status() || !step.reason().equals(reason)) {
                return step;
            }
            Thread.sleep(settings.chargerPoll().toMillis());
        }
    }

    /** Whether the launcher booted the recovery image (slot r); not knowing counts as no. */
    private boolean recoveryRuns() throws InterruptedException {
        try {
            return boot.slots().booted().equals(RECOVERY_SLOT);
        } catch (BootClient.BootException e) {
            LOG.info("cannot read the slots before scheduling ({}); treating the charger as a product image", e.getMessage());
            return false;
        }
    }

    /** The stop of a forced update: when it was first sent, the board time then, and safety's refusal ("" when taken). */
    private static final class ForcedStop {
        final String requestId;
        long triedAtNanos = -1;
        long boardMillis;
        long session;
        String refusal = "";

        ForcedStop(String requestId) {
            this.requestId = requestId;
        }
    }

    /** Sends the stop; "" when safety took it, else its refusal in words. */
    private static String stop(ChargingService c, ChargerStatus st) {
        if (st.sessionId() == 0 && ChargerView.contactorOpen(st)) {
            return "";
        }
        Reply r = c.stop(StopReason.OTHER);
        LOG.info("forced update: stop of session {} {}", st.sessionId(), r.accepted() ? "accepted" : "refused: " + r.detail());
        return r.accepted() ? "" : r.code() + ": " + r.detail();
    }

    private static String stopping(long session, String refusal) {
        return "forced: stopping session " + session + ", waiting for safety to report the contactor open"
                + (refusal.isEmpty() ? "" : " (the stop was refused: " + refusal + "; asking again)");
    }

    private Step activate(AgentState s) throws InterruptedException {
        String target = s.status().slot();
        // After a restart in Installing the launcher may have taken the activation already.
        try {
            BootSlots b = boot.slots();
            boolean trialOnTarget = b.trial().map(t -> t.slot().equals(target)).orElse(false);
            if (b.booted().equals(target) || trialOnTarget) {
                return new Step(Event.ACTIVATED, "the launcher already took the activation of slot " + target);
            }
            Optional<BootSlots.Slot> t = b.slot(target);
            if (t.isPresent() && t.get().state() == BootSlots.SlotState.bad) {
                return new Step(Event.ROLLED_BACK, "slot " + target + " is marked bad by the launcher"
                        + (t.get().why().isEmpty() ? "" : ": " + t.get().why()));
            }
        } catch (BootClient.BootException e) {
            LOG.info("cannot read the slots before activating ({}); activating", e.getMessage());
        }
        try {
            String slot = boot.activate();
            activatedAtNanos = System.nanoTime();
            if (!slot.equals(target)) {
                LOG.warn("the launcher activates slot {}, the image was installed into slot {}", slot, target);
            }
            return new Step(Event.ACTIVATED, "the launcher activates slot " + slot
                    + ": the charger restarts into it on trial (safety first, contactor open)");
        } catch (BootClient.BootException e) {
            return new Step(Event.ACTIVATE_FAILED, e.getMessage());
        }
    }

    private Step awaitCommit(AgentState s) throws InterruptedException {
        String target = s.status().slot();
        String reason = s.status().reason();
        while (true) {
            boolean activatedHere = activatedAtNanos >= 0;
            Step step;
            try {
                step = afterActivation(boot.slots(), target, s.status().version(), activatedHere);
            } catch (BootClient.BootException e) {
                step = new Step(Event.AWAITING_COMMIT, "waiting for the launcher: " + e.getMessage());
            }
            if (step.event() == Event.AWAITING_COMMIT && activatedHere
                    && System.nanoTime() - activatedAtNanos > settings.rebootTimeout().toNanos()) {
                step = new Step(Event.REBOOT_TIMED_OUT, "the launcher accepted the activation of slot " + target
                        + " but did not restart within " + AgentSettings.words(settings.rebootTimeout()));
            }
            if (step.event() != Event.AWAITING_COMMIT || !step.reason().equals(reason)) {
                return step;
            }
            Thread.sleep(settings.commitPoll().toMillis());
        }
    }

    /**
     * What the launcher's slots say about an activated slot.
     *
     * @param activatedHere this very instance had the activation accepted, so the
     *                      restart is still to come (not a rollback)
     */
    static Step afterActivation(BootSlots b, String target, String version, boolean activatedHere) {
        Optional<BootSlots.Slot> slot = b.slot(target);
        String state = slot.map(x -> x.state().name()).orElse("missing");
        String why = slot.map(BootSlots.Slot::why).filter(w -> !w.isEmpty()).map(w -> ": " + w).orElse("");
        Optional<BootSlots.Trial> trial = b.trial().filter(t -> t.slot().equals(target));
        if (b.booted().equals(target)) {
            if (trial.isPresent()) {
                return new Step(Event.AWAITING_COMMIT, "slot " + target + " runs on trial (" + trial.get().attemptsLeft()
                        + " boot attempts left): the launcher commits it when the health check passes");
            }
            if (slot.isPresent() && slot.get().state() == BootSlots.SlotState.good) {
                return new Step(Event.COMMITTED, "slot " + target + " committed: image "
                        + (slot.get().version().isEmpty() ? version : slot.get().version()) + " runs");
            }
            if (slot.isPresent() && slot.get().state() == BootSlots.SlotState.bad) {
                return new Step(Event.ROLLED_BACK, "slot " + target + " was marked bad" + why);
            }
            return new Step(Event.AWAITING_COMMIT, "slot " + target + " booted (state " + state + "): waiting for the commit");
        }
        if (trial.isPresent()) {
            return new Step(Event.AWAITING_COMMIT, "the launcher restarts into slot " + target + " on trial");
        }
        if (slot.isPresent() && slot.get().state() == BootSlots.SlotState.bad) {
            return new Step(Event.ROLLED_BACK, "slot " + target + " failed its trial boot; the launcher went back to slot "
                    + b.booted() + why);
        }
        if (activatedHere) {
            return new Step(Event.AWAITING_COMMIT, "waiting for the launcher to restart into slot " + target);
        }
        return new Step(Event.ROLLED_BACK, "the launcher booted slot " + b.booted() + ", not slot " + target
                + " (slot " + target + " is " + state + why + ")");
    }
}
