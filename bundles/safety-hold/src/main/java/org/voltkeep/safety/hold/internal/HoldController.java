package org.voltkeep.safety.hold.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.Board;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.MeterReading;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.safety.api.ChargeController;

/**
 * The recovery image's owner of the board. Every cycle it commands the contactor
 * open, drives the pilot at -12 V (IEC 61851-1 state F, "EVSE not available"),
 * releases the cable lock, shows FAULT on the indicator, checks that the contactor
 * feedback confirms the open command, publishes the status and pets the watchdog.
 * No code path here commands the contactor closed or offers a current: the only
 * values ever written are the held ones.
 *
 * <p>Requests are answered on the caller's thread and change nothing on the board:
 * authorize and limit requests are refused with {@link ErrorCode#NOT_ALLOWED}, a stop
 * is accepted because it asks for what is already in force.
 *
 * <p>{@link #start()} runs the cycle on a thread every {@code loopPeriodMillis} and at
 * once when the board announces an input change; tests call {@link #cycleOnce()}.
 */
public final class HoldController implements ChargeController, AutoCloseable {
    /** The pilot level the hold drives: constant -12 V, state F. */
    public static final PwmDuty HELD_PILOT = PwmDuty.STATIC_LOW;
    static final String REFUSED_AUTHORIZE = "recovery image: charging is disabled until a good image is installed";
    static final String REFUSED_LIMIT = "recovery image: no current is offered, so limits do not apply";
    static final String WELDED = "contactor feedback reads closed while commanded open: the contactor needs service";

    private static final Logger LOG = LoggerFactory.getLogger(HoldController.class);
    private static final long STATUS_REFRESH_NANOS = 1_000_000_000L;

    private final Board board;
    private final HoldSettings settings;
    private final WallClock wall;
    private final Semaphore wake = new Semaphore(0);
    private final Runnable inputListener = this::wake;
    private final ReentrantLock cycleLock = new ReentrantLock();
    private final List<Consumer<ChargerStatus>> listeners = new CopyOnWriteArrayList<>();

    // Owned by the cycle (cycleLock).
    private boolean startedUp;
    private long feedbackClosedSinceMillis = -1;
    private LinkState lastLink = LinkState.UP;
    private ChargerStatus lastPublished;
    private long lastPublishNanos;

    // Shared with request threads.
    private volatile boolean weldLatched;
    private volatile long lastHeartbeatNanos;
    private volatile boolean linkClosed;
    private volatile ChargerStatus status;

    private final Object threadGuard = new Object();
    private volatile boolean running;
    private Thread thread;

    public HoldController(Board board, HoldSettings settings, WallClock wall) {
        this.board = Objects.requireNonNull(board, "board");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wall = Objects.requireNonNull(wall, "wall");
        // The link timer starts now, as if a peer had just been heard: the application domain starts after us.
        this.lastHeartbeatNanos = wall.nanoTime();
        // Nothing is confirmed before the first cycle has looked at the board.
        this.status = new ChargerStatus(0, ChargerState.F, HELD_PILOT.permille(), false, false, false, "", 0, 0, 0, 0,
                0, 0, 0, LimitSource.NONE, 0, 0, EnumSet.noneOf(Fault.class), LinkState.UP, FallbackMode.STOP, false,
                false);
    }

    /** Registers for input changes and starts the cycle thread; the first cycle runs at once. */
    public void start() {
        synchronized (threadGuard) {
            if (thread != null) {
                throw new IllegalStateException("safety hold already started");
            }
            board.onInputChange(inputListener);
            running = true;
            thread = new Thread(this::loop, "voltkeep-safety-hold");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }
        wake();
    }

    /** Stops the thread and leaves the contactor open, the pilot at -12 V and the watchdog disarmed. */
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
                t.join(Math.max(1000, 10 * settings.loopPeriodMillis()));
                if (t.isAlive()) {
                    LOG.error("safety hold loop did not stop in time; interrupting it");
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
            attempt("hold the pilot at -12 V", () -> board.controlPilot().setDuty(HELD_PILOT));
            attempt("switch the indicator off", () -> board.indicator().show(IndicatorState.OFF));
            attempt("disarm the watchdog", () -> board.watchdog().disarm());
        } finally {
            cycleLock.unlock();
        }
        LOG.info("safety hold stopped: contactor commanded open, pilot at -12 V");
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(settings.loopPeriodMillis(), TimeUnit.MILLISECONDS);
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
                LOG.error("safety hold cycle failed: outputs forced safe, watchdog not petted", e);
            }
        }
    }

    private void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * One cycle: hold the outputs, read the board, check the feedback, publish, pet.
     * On any exception the contactor is commanded open and the pilot set to -12 V
     * again, the watchdog is not petted, and the exception is rethrown.
     */
    public void cycleOnce() {
        cycleLock.lock();
        try {
            if (!startedUp) {
                LOG.info("safety hold on board '{}': recovery image, the contactor stays open and the pilot at -12 V (state F)",
                        board.kind());
                board.watchdog().arm(Duration.ofMillis(settings.watchdogTimeoutMillis()));
                startedUp = true;
            }
            hold();
            long now = board.clock().millis();
            boolean commanded = board.contactor().commandedClosed();
            boolean feedback = board.contactor().feedbackClosed();
            checkFeedback(now, feedback);
            ChargerStatus st = read(now, commanded, feedback);
            logLink(st.link());
            status = st;
            publish(st);
            board.watchdog().pet();
        } catch (RuntimeException e) {
            attempt("open the contactor", () -> board.contactor().command(false));
            attempt("hold the pilot at -12 V", () -> board.controlPilot().setDuty(HELD_PILOT));
            throw e;
        } finally {
            cycleLock.unlock();
        }
    }

    /** Writes the held outputs, the contactor first. Whatever wrote the board in between is undone here. */
    private void hold() {
        if (board.contactor().commandedClosed()) {
            LOG.error("the contactor was commanded closed outside the safety hold: commanding it open");
        }
        // Written every cycle, not only on a change: there is no state in which the hold
        // believes the contactor open while the board holds another command.
        board.contactor().command(false);
        if (!board.controlPilot().duty().equals(HELD_PILOT)) {
            board.controlPilot().setDuty(HELD_PILOT);
        }
        board.cableLock().command(false);
        if (board.indicator().showing() != IndicatorState.FAULT) {
            board.indicator().show(IndicatorState.FAULT);
        }
    }

    /** The self-check: under an open command the feedback must read open within {@code feedbackCheckMillis}. */
    private void checkFeedback(long nowMillis, boolean feedbackClosed) {
        if (!feedbackClosed) {
            feedbackClosedSinceMillis = -1;
            return;
        }
        if (feedbackClosedSinceMillis < 0) {
            feedbackClosedSinceMillis = nowMillis;
        }
        if (!weldLatched && nowMillis - feedbackClosedSinceMillis >= settings.feedbackCheckMillis()) {
            weldLatched = true;
            LOG.error("CONTACTOR_WELDED at board {} ms: {}", nowMillis, WELDED);
        }
    }

    private ChargerStatus read(long now, boolean commanded, boolean feedback) {
        CpState pilot = board.controlPilot().measuredState();
        PwmDuty duty = board.controlPilot().duty();
        MeterReading meter = board.meter().read();
        EnumSet<Fault> faults = EnumSet.noneOf(Fault.class);
        if (weldLatched) {
            faults.add(Fault.CONTACTOR_WELDED);
        }
        if (board.rcdMonitor().status().tripped()) {
            faults.add(Fault.RCD_TRIP);
        }
        if (board.watchdog().expired()) {
            faults.add(Fault.WATCHDOG_EXPIRED);
        }
        // A shorted pilot is the one level that reads through -12 V; everything else is F, the level we drive.
        ChargerState state = pilot == CpState.E ? ChargerState.E : ChargerState.F;
        boolean selfTestPassed = !commanded && !feedback && !weldLatched;
        return new ChargerStatus(now, state, duty.permille(), commanded, feedback, false, "", 0, 0, 0,
                meter.importedEnergy().wattHours(), meter.maxPhaseCurrent().milliamps(), meter.totalPower().watts(),
                0, LimitSource.NONE, board.proximityPilot().cableRating().maxCurrent().milliamps(),
                board.temperatureSensor().temperature().deciCelsius(), faults, linkState(), FallbackMode.STOP, false,
                selfTestPassed);
    }

    private LinkState linkState() {
        if (linkClosed) {
            return LinkState.SILENT_FALLBACK;
        }
        long silentNanos = wall.nanoTime() - lastHeartbeatNanos;
        return silentNanos > TimeUnit.MILLISECONDS.toNanos(settings.linkTimeoutMillis()) ? LinkState.SILENT_FALLBACK
                : LinkState.UP;
    }

    private void logLink(LinkState link) {
        if (link == lastLink) {
            return;
        }
        if (link == LinkState.UP) {
            LOG.info("link up again");
        } else {
            LOG.warn("link silent or closed; nothing changes on the board: it offers nothing either way");
        }
        lastLink = link;
    }

    private void publish(ChargerStatus st) {
        long now = wall.nanoTime();
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

    private static void attempt(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("could not {}", what, e);
        }
    }

    // ---- ChargeController: answers only; the board is written by the cycle alone ----

    @Override
    public ChargerStatus status() {
        return status;
    }

    @Override
    public Reply authorize(String idTag) {
        LOG.info("authorize refused: {}", REFUSED_AUTHORIZE);
        return Reply.refused(ErrorCode.NOT_ALLOWED, REFUSED_AUTHORIZE);
    }

    /** Accepted: a stop asks for what is already in force (nothing offered, contactor open). */
    @Override
    public Reply stop(StopReason reason) {
        return Reply.OK;
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        return Reply.refused(ErrorCode.NOT_ALLOWED, REFUSED_LIMIT);
    }

    @Override
    public Reply clearLimit(String claimId) {
        return Reply.refused(ErrorCode.NOT_ALLOWED, REFUSED_LIMIT);
    }

    /** A weld stays latched for this boot; the RCD trip and the watchdog are reported while the board says so. */
    @Override
    public Reply resetFaults() {
        if (weldLatched) {
            return Reply.refused(ErrorCode.FAULT_LATCHED, WELDED);
        }
        return Reply.OK;
    }

    @Override
    public void linkHeartbeat() {
        lastHeartbeatNanos = wall.nanoTime();
        linkClosed = false;
    }

    @Override
    public void linkClosed() {
        linkClosed = true;
    }

    @Override
    public void addStatusListener(Consumer<ChargerStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeStatusListener(Consumer<ChargerStatus> listener) {
        listeners.remove(listener);
    }
}
