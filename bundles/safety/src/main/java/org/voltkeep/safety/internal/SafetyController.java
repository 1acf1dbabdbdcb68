package org.voltkeep.safety.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.IdTag;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.Board;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;
import org.voltkeep.safety.api.ChargeController;

/**
 * The control loop around {@link SafetyLogic}: each cycle reads the board once,
 * decides, guards, writes the outputs, publishes the status and pets the watchdog.
 * {@link #start()} runs cycles on a dedicated thread every {@code loopPeriodMillis}
 * and at once when the board announces an input change; tests call
 * {@link #cycleOnce()} instead and stay deterministic.
 *
 * <p>Other threads only validate their request and leave it in the request box; the
 * cycle alone touches the board's outputs.
 */
public final class SafetyController implements ChargeController, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SafetyController.class);
    private static final long STATUS_REFRESH_NANOS = 1_000_000_000L;

    private final Board board;
    private final SafetyConfig cfg;
    private final LinkClock wallClock;
    private final RequestBox box;
    private final Optional<FaultStore> store;
    private final long sessionIdBase;
    private final Semaphore wake = new Semaphore(0);
    private final Runnable inputListener = this::wake;
    private final ReentrantLock cycleLock = new ReentrantLock();
    private final List<Consumer<ChargerStatus>> listeners = new CopyOnWriteArrayList<>();

    // Owned by the cycle (cycleLock).
    private final EnumSet<Fault> persisted = EnumSet.noneOf(Fault.class);
    private final Optional<String> storeProblem;
    private ControllerState state;
    private boolean startedUp;
    private LinkState lastLink = LinkState.UP;
    private ChargerStatus lastPublished;
    private long lastPublishNanos;
    private Boolean lockWritten;

    // Read by request threads.
    private volatile ControllerState view;
    private volatile ChargerStatus status;

    private final Object threadGuard = new Object();
    private volatile boolean running;
    private Thread thread;

    public SafetyController(Board board, SafetyConfig cfg, LinkClock wallClock) {
        this.board = Objects.requireNonNull(board, "board");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.box = new RequestBox(wallClock, cfg.linkTimeoutMillis());
        this.store = cfg.stateDir().map(FaultStore::new);
        // Unique across restarts as long as fewer than 1000 sessions separate two starts a millisecond apart.
        this.sessionIdBase = wallClock.epochMillis() * 1000;
        Optional<String> problem = Optional.empty();
        if (store.isPresent()) {
            try {
                persisted.addAll(store.get().load());
            } catch (IOException e) {
                problem = Optional.of("cannot read latched faults: " + e.getMessage());
            }
        }
        this.storeProblem = problem;
        if (!persisted.isEmpty()) {
            LOG.error("faults latched before this start: {} (service must clear {})", persisted,
                    store.get().file());
        }
        this.state = ControllerState.initial(0, sessionIdBase, persisted, false);
        this.view = state;
        this.status = preliminaryStatus(state);
    }

    /** Registers for input changes and starts the control thread. */
    public void start() {
        synchronized (threadGuard) {
            if (thread != null) {
                throw new IllegalStateException("safety controller already started");
            }
            board.onInputChange(inputListener);
            running = true;
            thread = new Thread(this::loop, "voltkeep-safety-loop");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }
        // The first cycle (with the self-test) runs at once, not one period later.
        wake();
    }

    /**
     * Stops the thread, then leaves the board safe: contactor open, pilot static +12 V,
     * watchdog disarmed (an orderly stop is no hang).
     */
    @Override
    public void close() {
        Thread t;
        synchronized (threadGuard) {
            running = false;
            t = thread;
            thread = null;
        }
        wake.release();
        if (t != null) {
            board.removeInputListener(inputListener);
            try {
                t.join(Math.max(1000, 10 * cfg.loopPeriodMillis()));
                if (t.isAlive()) {
                    LOG.error("safety loop did not stop in time; interrupting it");
                    t.interrupt();
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cycleLock.lock();
        try {
            attempt("open the contactor", () -> board.contactor().command(false));
            attempt("set the pilot to static +12 V", () -> board.controlPilot().setDuty(PwmDuty.STATIC_HIGH));
            attempt("switch the indicator off", () -> board.indicator().show(IndicatorState.OFF));
            attempt("disarm the watchdog", () -> board.watchdog().disarm());
        } finally {
            cycleLock.unlock();
        }
        LOG.info("safety controller stopped: contactor commanded open, pilot static +12 V");
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(cfg.loopPeriodMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wake.drainPermits();
            if (!running) {
                return;
            }
            try {
                cycleOnce();
            } catch (RuntimeException e) {
                LOG.error("safety cycle failed: outputs forced safe, watchdog not petted", e);
            }
        }
    }

    private void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * One control cycle. On any exception the contactor is opened and the pilot set to
     * -12 V, the watchdog is not petted, and the exception is rethrown.
     */
    public void cycleOnce() {
        cycleLock.lock();
        try {
            if (!startedUp) {
                startUp();
                startedUp = true;
            }
            Inputs in = Inputs.read(board);
            Requests r = box.take(in.boardMillis());
            if (r.link() != lastLink) {
                if (r.link() == LinkState.UP) {
                    LOG.info("link up again: the application domain must send its limits again");
                } else {
                    LOG.warn("link silent for {} ms: fallback {} applies, all limit requests dropped",
                            cfg.linkTimeoutMillis(), cfg.fallback());
                }
                lastLink = r.link();
            }
            SafetyLogic.CycleResult res = SafetyLogic.cycle(state, in, r, cfg);
            if (!res.guardViolations().isEmpty()) {
                LOG.error("output guard corrected row {} in state {}: {}", res.decision().transition(),
                        res.next().state(), res.guardViolations());
            }
            write(res.outputs());
            if (res.next().state() != state.state()) {
                LOG.info("{} -> {} ({})", state.state(), res.next().state(), res.decision().transition());
            }
            state = res.next();
            view = state;
            handle(res.decision().events());
            ChargerStatus st = toStatus(in, r, res, cfg);
            status = st;
            publish(st);
            board.watchdog().pet();
        } catch (RuntimeException e) {
            attempt("open the contactor", () -> board.contactor().command(false));
            attempt("set the pilot to -12 V", () -> board.controlPilot().setDuty(PwmDuty.STATIC_LOW));
            throw e;
        } finally {
            cycleLock.unlock();
        }
    }

    /** Start-up self-test: contactor feedback open, RCD self-test passes, the board answers. */
    private void startUp() {
        board.contactor().command(false);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        long now = board.clock().millis();
        List<String> problems = new ArrayList<>();
        storeProblem.ifPresent(problems::add);
        try {
            if (board.contactor().feedbackClosed()) {
                problems.add("contactor feedback reads closed while commanded open");
            } else if (!board.rcdMonitor().selfTest()) {
                problems.add("RCD self-test failed: the trip input did not follow the test current");
            }
            Inputs.read(board);
        } catch (RuntimeException e) {
            problems.add("board does not answer: " + e);
        }
        EnumSet<Fault> faults = EnumSet.noneOf(Fault.class);
        faults.addAll(persisted);
        if (!problems.isEmpty()) {
            faults.add(Fault.SELF_TEST_FAILED);
            LOG.error("start-up self-test failed, nothing will be energized in this boot: {}", problems);
        } else {
            LOG.info("start-up self-test passed on board '{}'", board.kind());
        }
        state = ControllerState.initial(now, sessionIdBase, faults, problems.isEmpty());
        view = state;
        board.watchdog().arm(Duration.ofMillis(cfg.watchdogTimeoutMillis()));
    }

    private void write(Outputs o) {
        // Open before anything else, close after the pilot offers: never energize ahead of the offer.
        if (!o.contactorClosed() && board.contactor().commandedClosed()) {
            board.contactor().command(false);
        }
        if (!board.controlPilot().duty().equals(o.pwm())) {
            board.controlPilot().setDuty(o.pwm());
        }
        if (o.contactorClosed() && !board.contactor().commandedClosed()) {
            board.contactor().command(true);
        }
        if (lockWritten == null || lockWritten != o.lockLocked()) {
            board.cableLock().command(o.lockLocked());
            lockWritten = o.lockLocked();
        }
        if (board.indicator().showing() != o.indicator()) {
            board.indicator().show(o.indicator());
        }
    }

    private void handle(List<SafetyEvent> events) {
        boolean persist = false;
        for (SafetyEvent e : events) {
            if (e instanceof SafetyEvent.FaultRaised f) {
                LOG.error("fault {} raised at board {} ms: {}", f.fault(), f.boardMillis(), f.cause());
                if (persistent(f.fault()) && persisted.add(f.fault())) {
                    persist = true;
                }
            } else if (e instanceof SafetyEvent.FaultCleared f) {
                LOG.info("fault {} cleared at board {} ms", f.fault(), f.boardMillis());
            } else if (e instanceof SafetyEvent.SessionStarted s) {
                LOG.info("session {} started at board {} ms, meter {} Wh", s.sessionId(), s.boardMillis(),
                        s.meterWh());
            } else if (e instanceof SafetyEvent.SessionEnded s) {
                LOG.info("session {} ended at board {} ms ({}), {} Wh", s.sessionId(), s.boardMillis(), s.reason(),
                        s.energyWh());
            } else if (e instanceof SafetyEvent.StopApplied s) {
                LOG.info("stop ({}) applied to session {} at board {} ms", s.reason(), s.sessionId(),
                        s.boardMillis());
            }
        }
        if (persist) {
            if (store.isEmpty()) {
                LOG.error("no stateDir configured: {} is latched in memory only and a restart forgets it", persisted);
                return;
            }
            try {
                store.get().save(persisted);
            } catch (IOException e) {
                LOG.error("cannot persist latched faults {} to {}; they stay latched until this process ends",
                        persisted, store.get().file(), e);
            }
        }
    }

    /** PERMANENT faults survive restarts, except the self-test, which every start runs again. */
    static boolean persistent(Fault f) {
        return f.latch() == Fault.Latch.PERMANENT && f != Fault.SELF_TEST_FAILED;
    }

    private void publish(ChargerStatus st) {
        long now = wallClock.nanoTime();
        if (lastPublished != null && significant(st).equals(significant(lastPublished))
                && now - lastPublishNanos < STATUS_REFRESH_NANOS) {
            return;
        }
        lastPublished = st;
        lastPublishNanos = now;
        for (Consumer<ChargerStatus> l : listeners) {
            try {
                l.accept(st);
            } catch (RuntimeException e) {
                LOG.warn("status listener {} failed", l, e);
            }
        }
    }

    /** The status without the values that drift every cycle (time, meter, temperature). */
    static ChargerStatus significant(ChargerStatus s) {
        return new ChargerStatus(0, s.state(), s.pwmPermille(), s.contactorCommanded(), s.contactorFeedback(),
                s.authorized(), s.idTag(), s.sessionId(), s.sessionStartMillis(), 0, 0, 0, 0, s.limitMilliamps(),
                s.limitSource(), s.cableMilliamps(), 0, s.activeFaults(), s.link(), s.fallback(), s.stopRequested(),
                s.selfTestPassed());
    }

    static ChargerStatus toStatus(Inputs in, Requests r, SafetyLogic.CycleResult res, SafetyConfig cfg) {
        ControllerState n = res.next();
        Outputs o = res.outputs();
        EffectiveLimit lim = res.decision().limit();
        long sessionEnergy = n.sessionActive() ? in.meterWh() - n.sessionStartMeterWh() : 0;
        return new ChargerStatus(in.boardMillis(), n.state(), o.pwm().permille(), o.contactorClosed(),
                in.contactorFeedback(), n.authorized(), n.idTag(), n.sessionId(), n.sessionStartMillis(), sessionEnergy,
                in.meterWh(), in.meter().maxPhaseCurrent().milliamps(), in.meter().totalPower().watts(),
                lim.current().milliamps(), lim.source(), in.cable().maxCurrent().milliamps(),
                in.temperature().deciCelsius(), n.faults(), r.link(), cfg.fallback(), n.stopRequested(),
                n.selfTestPassed());
    }

    private ChargerStatus preliminaryStatus(ControllerState s) {
        return new ChargerStatus(0, s.faults().isEmpty() ? ChargerState.A : ChargerState.F,
                PwmDuty.STATIC_HIGH.permille(), false, false, false, "", 0, 0, 0, 0, 0, 0, 0,
                org.voltkeep.charging.LimitSource.NONE, 0, 0, s.faults(), LinkState.UP, cfg.fallback(), false, false);
    }

    private static void attempt(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("could not {}", what, e);
        }
    }

    // ---- ChargeController: validate synchronously, then leave the request for the next cycle ----

    @Override
    public ChargerStatus status() {
        return status;
    }

    @Override
    public Reply authorize(String idTag) {
        if (!IdTag.valid(idTag)) {
            return Reply.refused(ErrorCode.MALFORMED, IdTag.rule());
        }
        ControllerState v = view;
        if (v.hasLatchedFault()) {
            return Reply.refused(ErrorCode.FAULT_LATCHED, "faults latched: " + latched(v.faults()));
        }
        box.authorize(idTag);
        wake();
        return Reply.OK;
    }

    @Override
    public Reply stop(StopReason reason) {
        if (reason == null) {
            return Reply.refused(ErrorCode.MALFORMED, "stop reason is missing");
        }
        ControllerState v = view;
        if (!v.sessionActive() && !v.authorized() && !box.authorizePending()) {
            return Reply.refused(ErrorCode.NO_VEHICLE, "no session is running and none is authorized");
        }
        box.stop(reason);
        wake();
        return Reply.OK;
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        if (request == null) {
            return Reply.refused(ErrorCode.MALFORMED, "limit request is missing");
        }
        Reply reply = box.setLimit(request, board.clock().millis());
        if (reply.accepted()) {
            wake();
        }
        return reply;
    }

    @Override
    public Reply clearLimit(String claimId) {
        if (!LimitRequest.validClaimId(claimId)) {
            return Reply.refused(ErrorCode.MALFORMED, "claim id '" + claimId + "' must be 1..32 of A-Z a-z 0-9 . _ -");
        }
        box.clearLimit(claimId);
        wake();
        return Reply.OK;
    }

    @Override
    public Reply resetFaults() {
        ControllerState v = view;
        Set<Fault> resettable = v.faults().stream().filter(f -> f.latch() == Fault.Latch.UNTIL_RESET)
                .collect(Collectors.toSet());
        Set<Fault> permanent = v.faults().stream().filter(f -> f.latch() == Fault.Latch.PERMANENT)
                .collect(Collectors.toSet());
        String service = permanent.isEmpty() ? "" : latched(permanent) + " stay latched: needs service";
        if (resettable.isEmpty()) {
            return new Reply(true, ErrorCode.NONE, service.isEmpty() ? "no fault latches until reset" : service);
        }
        // Read the inputs now rather than from the last cycle: the operator resets right after fixing the cause.
        // The cycle checks both again before it clears anything.
        RcdStatus rcd;
        boolean feedbackClosed;
        try {
            rcd = board.rcdMonitor().status();
            feedbackClosed = board.contactor().feedbackClosed();
        } catch (RuntimeException e) {
            return Reply.refused(ErrorCode.INTERNAL, "cannot read the RCD and contactor inputs: " + e.getMessage());
        }
        if (rcd.tripped()) {
            return Reply.refused(ErrorCode.NOT_ALLOWED, "RCD input still reads " + rcd);
        }
        if (feedbackClosed) {
            return Reply.refused(ErrorCode.NOT_ALLOWED, "contactor feedback reads closed: reset refused");
        }
        box.reset();
        wake();
        return new Reply(true, ErrorCode.NONE, service);
    }

    @Override
    public void linkHeartbeat() {
        box.heartbeat();
    }

    @Override
    public void linkClosed() {
        // The peer is gone (crashed or killed): waiting for the timer would keep its
        // requests alive for nothing. Fall back now; the next heartbeat ends it.
        box.closed();
        wake();
        LOG.info("link connection closed; {} fallback applies until the application domain is back", cfg.fallback());
    }

    @Override
    public void addStatusListener(Consumer<ChargerStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeStatusListener(Consumer<ChargerStatus> listener) {
        listeners.remove(listener);
    }

    /** The live limit claims, for diagnostics and tests. */
    List<LimitClaim> claims() {
        return box.claims();
    }

    private static String latched(Set<Fault> faults) {
        return faults.stream().filter(f -> f.latch() != Fault.Latch.WHILE_PRESENT).sorted().map(Fault::name)
                .collect(Collectors.joining(", "));
    }
}
