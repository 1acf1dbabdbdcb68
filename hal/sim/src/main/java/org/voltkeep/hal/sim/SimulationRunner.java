package org.voltkeep.hal.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a {@link SimulatedBoard} in real time or faster: a daemon thread steps
 * the board by {@code 2 ms × speed} of board time every 2 ms of wall time.
 *
 * <p>Reactions stay independent of the speed. While the board's watchdog is armed
 * (a safety loop runs and pets it every cycle) the runner keeps the loop in lockstep
 * with board time:
 * <ul>
 * <li>a step stops right after the board time at which an input changed, and the
 *     runner waits until the watchdog was petted after that change, i.e. the loop
 *     has seen it;</li>
 * <li>when {@value #LOCKSTEP_MILLIS} ms of board time or more passed since the last
 *     pet, the runner wakes the loop through the input listeners
 *     ({@link SimulatedBoard#announceInputs()}) and waits for its pet, so a loop that
 *     runs on a wall-time period still sees the board at least every
 *     {@value #LOCKSTEP_MILLIS} ms of board time and the watchdog (counted in board
 *     time) does not expire because the simulation runs fast.</li>
 * </ul>
 * Each wait is bounded by {@value #MAX_WAIT_FOR_LOOP_MILLIS} ms of wall time, so a
 * stuck loop slows the simulation but does not stop it (and its watchdog expires).
 * Steps also stop at every {@link TickListener#nextDueMillis()}, so scheduled events
 * happen at their exact board time.
 */
public final class SimulationRunner implements AutoCloseable {
    public static final Duration TICK = Duration.ofMillis(2);
    static final long MAX_WAIT_FOR_LOOP_MILLIS = 50;
    /** Board time after which the runner has the safety loop look at the board. */
    static final long LOCKSTEP_MILLIS = 20;
    /** Longest board step between two looks of the safety loop. */
    private static final long MAX_STEP_NANOS = 100_000_000L;
    /** A late tick is dropped rather than caught up, beyond this many. */
    private static final int MAX_CATCH_UP_TICKS = 5;
    private static final double MAX_SPEED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SimulationRunner.class);

    private final SimulatedBoard board;
    private final List<TickListener> listeners = new CopyOnWriteArrayList<>();
    private volatile double speed;
    private volatile boolean paused;
    private volatile boolean running;
    private Thread thread;
    private double carryNanos;

    public SimulationRunner(SimulatedBoard board) {
        this(board, 1.0);
    }

    public SimulationRunner(SimulatedBoard board, double speed) {
        this.board = Objects.requireNonNull(board, "board");
        setSpeed(speed);
    }

    public SimulatedBoard board() {
        return board;
    }

    /** Board time per wall time; 1 is real time. Must be in (0, 10000]. */
    public void setSpeed(double x) {
        speed = requireValidSpeed(x);
    }

    /** Returns {@code x} when it is a speed the runner accepts, else throws naming the range. */
    public static double requireValidSpeed(double x) {
        if (!(x > 0) || x > MAX_SPEED || Double.isNaN(x)) {
            throw new IllegalArgumentException("simulation speed " + x + " is outside (0, " + (int) MAX_SPEED + "]");
        }
        return x;
    }

    public double speed() {
        return speed;
    }

    /** Board time stands still until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean paused() {
        return paused;
    }

    public void addTickListener(TickListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    public void removeTickListener(TickListener l) {
        listeners.remove(l);
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("simulation runner already started");
        }
        running = true;
        thread = new Thread(this::run, "voltkeep-sim-runner");
        thread.setDaemon(true);
        thread.start();
    }

    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        t.interrupt();
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long tickNanos = TICK.toNanos();
        long next = System.nanoTime();
        try {
            while (running) {
                next += tickNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                } else if (-wait > MAX_CATCH_UP_TICKS * tickNanos) {
                    next = System.nanoTime();
                }
                if (Thread.interrupted() && !running) {
                    return;
                }
                tick();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("simulation runner stopped by an error", e);
            running = false;
        }
    }

    /** One wall tick: steps the board by 2 ms × speed. Visible for tests that drive the runner by hand. */
    void tick() throws InterruptedException {
        if (paused || holding()) {
            return;
        }
        carryNanos += TICK.toNanos() * speed;
        long budget = (long) carryNanos;
        carryNanos -= budget;
        // Bounded so that a listener that keeps asking for a zero-length step cannot spin forever.
        for (int guard = 0; budget > 0 && guard < 10_000 && running; guard++) {
            if (paused || holding()) {
                return;
            }
            long limit = budget;
            long due = nextDueMillis();
            if (due != Long.MAX_VALUE) {
                long untilDue = due * 1_000_000L - board.simClock().nanos();
                if (untilDue > 0) {
                    limit = Math.min(limit, untilDue);
                } else {
                    limit = 0;
                }
            }
            limit = Math.min(limit, MAX_STEP_NANOS);
            long changes = board.inputChanges();
            long advanced = limit > 0 ? board.stepUntilInputChange(Duration.ofNanos(limit)).toNanos() : 0;
            budget -= advanced;
            if (!awaitLoopIfChanged(changes) && board.watchdogArmed()
                    && board.clock().millis() - board.lastPetMillis() >= LOCKSTEP_MILLIS) {
                board.announceInputs();
                board.awaitPetAfterInputChange(Duration.ofMillis(MAX_WAIT_FOR_LOOP_MILLIS));
            }
            changes = board.inputChanges();
            for (TickListener l : listeners) {
                l.onTick();
            }
            // Actions the listeners applied (a plug, a fault) are inputs too.
            awaitLoopIfChanged(changes);
        }
    }

    /** Waits for the loop when an input changed and a loop runs; returns true when it waited. */
    private boolean awaitLoopIfChanged(long changesBefore) throws InterruptedException {
        if (board.inputChanges() != changesBefore && board.watchdogArmed()) {
            board.awaitPetAfterInputChange(Duration.ofMillis(MAX_WAIT_FOR_LOOP_MILLIS));
            return true;
        }
        return false;
    }

    private boolean holding() {
        for (TickListener l : listeners) {
            if (l.holdsTime()) {
                return true;
            }
        }
        return false;
    }

    private long nextDueMillis() {
        long due = Long.MAX_VALUE;
        for (TickListener l : listeners) {
            due = Math.min(due, l.nextDueMillis());
        }
        return due;
    }
}
