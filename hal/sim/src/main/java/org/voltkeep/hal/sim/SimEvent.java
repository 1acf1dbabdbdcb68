package org.voltkeep.hal.sim;

import java.util.Objects;

/**
 * Something that happened on the simulated board.
 *
 * @param boardMillis board time of the event
 * @param wallNanos   {@link System#nanoTime()} when it happened, for wall-time reaction measurements
 * @param kind        what happened
 * @param detail      a short machine-readable detail (fault name, "closed"/"open", duty, ...)
 */
public record SimEvent(long boardMillis, long wallNanos, Kind kind, String detail) {
    public SimEvent {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    public enum Kind {
        /** A vehicle was plugged in; detail names the EV profile and cable. */
        PLUGGED,
        UNPLUGGED,
        /** The vehicle asks for energy (pilot C or D); detail is the level. */
        EV_READY,
        /** The vehicle itself paused (detail "paused") or resumed (detail "resumed"). */
        EV_PAUSED,
        /** The vehicle reached its target state of charge. */
        EV_FULL,
        /** The PWM duty changed; detail is the duty in permille. */
        PWM_CHANGED,
        /** The contactor was commanded; detail "closed" or "open". */
        CONTACTOR_COMMANDED,
        /** The auxiliary contact changed; detail "closed" or "open". */
        CONTACTOR_FEEDBACK,
        FAULT_INJECTED,
        FAULT_CLEARED,
        WATCHDOG_EXPIRED,
        /** The vehicle went back to B for a reason other than its own pause or full battery; detail says why. */
        EV_STANDBY,
        /** The ambient temperature was set; detail in °C. */
        AMBIENT_CHANGED
    }
}
