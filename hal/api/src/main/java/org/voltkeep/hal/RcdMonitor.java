package org.voltkeep.hal;

/** Residual current monitor: trip input and test line. */
public interface RcdMonitor {
    RcdStatus status();

    /**
     * Drives the test line and checks that the trip input follows, then releases it.
     * Returns true when the monitor tripped on the test current and recovered.
     * Only called with the contactor open.
     */
    boolean selfTest();
}
