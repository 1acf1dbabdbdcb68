package org.voltkeep.hal;

import java.time.Duration;

/**
 * The hardware watchdog: once armed, the board is reset (on hardware) or the
 * simulated board reports a watchdog expiry unless {@link #pet()} is called
 * faster than the timeout.
 */
public interface HardwareWatchdog {
    void arm(Duration timeout);

    void pet();

    /** Disarms on an orderly shutdown (the "magic close" of Linux watchdogs). */
    void disarm();

    boolean expired();
}
