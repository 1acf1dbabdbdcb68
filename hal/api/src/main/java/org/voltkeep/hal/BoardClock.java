package org.voltkeep.hal;

/**
 * The board's monotonic time. On hardware it is the system's monotonic clock;
 * the simulated board runs it faster than wall time. All physical timing in the
 * safety domain (contactor checks, derating, EV reaction) uses this clock.
 */
public interface BoardClock {
    /** Monotonic time in milliseconds since the board started. */
    long millis();
}
