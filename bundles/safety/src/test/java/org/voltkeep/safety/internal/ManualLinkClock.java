package org.voltkeep.safety.internal;

import java.time.Duration;

/** Wall time that moves only when a test says so. */
final class ManualLinkClock implements LinkClock {
    private long nanos = 1_000_000_000L;
    private final long epochMillis;

    ManualLinkClock(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    ManualLinkClock() {
        this(1_700_000_000_000L);
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }
}
