package org.voltkeep.control.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.voltkeep.charging.ChargingService;

/** Health checks for tests that are not about health: the built-in ones only. */
final class TestHealth {
    private TestHealth() {
    }

    static Health none(Supplier<ChargingService> charging) {
        return new Health(charging, new BoardClock(Duration.ofSeconds(3), System::nanoTime), List::of, Duration.ofSeconds(1),
                Runnable::run);
    }
}
