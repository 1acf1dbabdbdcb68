package org.voltkeep.hal.sim;

/** Receives the simulated board's events, outside the board's lock, in the order they happened. */
@FunctionalInterface
public interface SimListener {
    void onSimEvent(SimEvent e);
}
