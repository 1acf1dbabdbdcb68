package org.voltkeep.safety.link.internal;

import java.time.Duration;

/**
 * Token bucket per connection, plus flood detection. A frame takes one token;
 * tokens come back at {@code ratePerSecond} up to {@code burst}. A peer is
 * flooding in a one-second window when it had at least {@code ratePerSecond}
 * frames refused in it (it sends at twice the allowed rate or more); flooding in
 * every window for {@code floodLimit} closes it. Times are monotonic nanoseconds
 * from the caller, so tests drive it without waiting. Not thread-safe: one reader
 * thread per connection uses it.
 */
final class RateLimiter {
    enum Verdict {
        ADMIT, REJECT, CLOSE
    }

    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long NO_FLOOD = Long.MIN_VALUE;

    private final int ratePerSecond;
    private final int burst;
    private final long floodLimitNanos;

    private double tokens;
    private long lastRefillNanos;
    private long windowStartNanos;
    private int refusedInWindow;
    private long floodSinceNanos = NO_FLOOD;

    RateLimiter(int ratePerSecond, int burst, Duration floodLimit, long nowNanos) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s and burst " + burst + " must both be at least 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.floodLimitNanos = floodLimit.toNanos();
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
        this.windowStartNanos = nowNanos;
    }

    Verdict admit(long nowNanos) {
        refill(nowNanos);
        rollWindows(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ADMIT;
        }
        refusedInWindow++;
        if (floodSinceNanos == NO_FLOOD && refusedInWindow >= ratePerSecond) {
            // The current window is already a flooding one: the run started with it.
            floodSinceNanos = windowStartNanos;
        }
        if (floodSinceNanos != NO_FLOOD && nowNanos - floodSinceNanos >= floodLimitNanos) {
            return Verdict.CLOSE;
        }
        return Verdict.REJECT;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (double) ratePerSecond / WINDOW_NANOS);
            lastRefillNanos = nowNanos;
        }
    }

    private void rollWindows(long nowNanos) {
        if (nowNanos - windowStartNanos < WINDOW_NANOS) {
            return;
        }
        boolean lastWindowFlooded = refusedInWindow >= ratePerSecond;
        long windowsPassed = (nowNanos - windowStartNanos) / WINDOW_NANOS;
        if (!lastWindowFlooded || windowsPassed > 1) {
            // A calm window (or a silent one in between) ends the run.
            floodSinceNanos = NO_FLOOD;
        }
        windowStartNanos += windowsPassed * WINDOW_NANOS;
        refusedInWindow = 0;
    }
}
