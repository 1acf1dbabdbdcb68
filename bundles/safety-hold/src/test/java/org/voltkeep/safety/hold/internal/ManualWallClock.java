package org.voltkeep.safety.hold.internal;

import java.time.Duration;

/** A wall clock the test moves by hand. */
final class ManualWallClock implements WallClock {
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
