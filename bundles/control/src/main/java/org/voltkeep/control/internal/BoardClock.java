package org.voltkeep.control.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.voltkeep.health.HealthResult;

/**
 * Whether the board answers: safety's statuses carry board time, and while the HAL
 * and the control cycle run it advances. Fed by every status the link client
 * passes on; the check fails when board time has not advanced for longer than the
 * freshness limit (a frozen board, a hung controller, a silent link).
 */
final class BoardClock {
    private final long freshNanos;
    private final LongSupplier nanos;
    private long lastBoardMillis = Long.MIN_VALUE;
    private long advancedAtNanos;
    private boolean advanced;

    BoardClock(Duration fresh, LongSupplier nanos) {
        this.freshNanos = fresh.toNanos();
        this.nanos = nanos;
    }

    synchronized void seen(long boardMillis) {
        if (lastBoardMillis != Long.MIN_VALUE && boardMillis > lastBoardMillis) {
            advanced = true;
            advancedAtNanos = nanos.getAsLong();
        }
        if (boardMillis > lastBoardMillis) {
            lastBoardMillis = boardMillis;
        }
    }

    synchronized HealthResult check() {
        if (lastBoardMillis == Long.MIN_VALUE) {
            return HealthResult.fail("no status from safety yet");
        }
        if (!advanced) {
            return HealthResult.fail("board time has not advanced yet (one status seen, board at " + lastBoardMillis + " ms)");
        }
        long age = nanos.getAsLong() - advancedAtNanos;
        String ago = String.format(Locale.ROOT, "%.1f s", age / 1e9);
        if (age > freshNanos) {
            return HealthResult.fail("board time has not advanced for " + ago + " (stuck at " + lastBoardMillis + " ms)");
        }
        return HealthResult.pass("board time advancing (" + lastBoardMillis + " ms, " + ago + " ago)");
    }
}
