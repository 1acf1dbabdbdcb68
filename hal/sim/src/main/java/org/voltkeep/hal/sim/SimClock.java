package org.voltkeep.hal.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.voltkeep.hal.BoardClock;

/**
 * The simulated board's clock. It moves only when told to, so tests and the
 * runner decide how fast board time passes. Kept in nanoseconds internally so
 * that fractional speeds (a 2 ms wall tick at 0.3x) do not lose time to rounding.
 */
public final class SimClock implements BoardClock {
    private final AtomicLong nanos = new AtomicLong();

    /** Starts at 0 ms. */
    public SimClock() {
    }

    @Override
    public long millis() {
        return nanos.get() / 1_000_000L;
    }

    /** Board time in nanoseconds since the start. */
    public long nanos() {
        return nanos.get();
    }

    /**
     * Moves the clock forward. Only the clock moves: use
     * {@link SimulatedBoard#step(Duration)} to move the physics with it.
     */
    public void advance(Duration d) {
        long n = d.toNanos();
        if (n < 0) {
            throw new IllegalArgumentException("cannot advance the board clock by a negative duration " + d);
        }
        nanos.addAndGet(n);
    }

    @Override
    public String toString() {
        return "SimClock[" + millis() + " ms]";
    }
}
