package org.voltkeep.safety.hold.internal;

/**
 * Wall-monotonic time of the safety process. Link liveness is about another process,
 * so it is measured in wall time, never in board time (a simulated board may run
 * faster than real time). Tests pass a clock they move by hand.
 */
public interface WallClock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    static WallClock system() {
        return System::nanoTime;
    }
}
