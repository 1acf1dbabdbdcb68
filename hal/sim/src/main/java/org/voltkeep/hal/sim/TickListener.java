package org.voltkeep.hal.sim;

/**
 * Something the {@link SimulationRunner} drives along with the board, such as a
 * scenario player. All methods are called on the runner's thread.
 */
public interface TickListener {
    /** Called after every step of the board. */
    void onTick();

    /** Board time in ms the runner must not step past before the next {@link #onTick()}; {@link Long#MAX_VALUE} for none. */
    default long nextDueMillis() {
        return Long.MAX_VALUE;
    }

    /** True while board time must stand still (for example while a cue waits for its consumer). */
    default boolean holdsTime() {
        return false;
    }
}
