package org.voltkeep.safety.internal;

/**
 * Wall time of the safety process: the link keep-alive is about another process, so
 * it is measured in wall-monotonic time, never in board time (which a simulated board
 * may run faster than real time).
 */
public interface LinkClock {
    /** Monotonic nanoseconds, only differences are meaningful. */
    long nanoTime();

    /** Milliseconds since the epoch; used only to make session ids unique across restarts. */
    long epochMillis();

    static LinkClock system() {
        return new LinkClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
    }
}
