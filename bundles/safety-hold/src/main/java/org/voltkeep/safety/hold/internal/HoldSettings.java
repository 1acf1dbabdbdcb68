package org.voltkeep.safety.hold.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The validated configuration of the hold. An inconsistent configuration is refused
 * with one message naming every key that is wrong and why.
 *
 * @param loopPeriodMillis     wall ms between cycles when no input changes
 * @param watchdogTimeoutMillis hardware watchdog timeout
 * @param feedbackCheckMillis  board ms a closed feedback is tolerated under an open command
 * @param linkTimeoutMillis    wall ms of link silence before the status says SILENT_FALLBACK
 */
public record HoldSettings(long loopPeriodMillis, long watchdogTimeoutMillis, long feedbackCheckMillis,
        long linkTimeoutMillis) {

    public HoldSettings {
        List<String> problems = new ArrayList<>();
        if (loopPeriodMillis < 1 || loopPeriodMillis > 1000) {
            problems.add("loopPeriodMillis (" + loopPeriodMillis + ") must be 1..1000");
        }
        if (watchdogTimeoutMillis <= 2 * loopPeriodMillis || watchdogTimeoutMillis > 600_000) {
            problems.add("watchdogTimeoutMillis (" + watchdogTimeoutMillis + ") must be more than twice loopPeriodMillis ("
                    + loopPeriodMillis + ") and at most 600000");
        }
        if (feedbackCheckMillis < 1 || feedbackCheckMillis > 60_000) {
            problems.add("feedbackCheckMillis (" + feedbackCheckMillis + ") must be 1..60000");
        }
        if (linkTimeoutMillis < 100 || linkTimeoutMillis > 600_000) {
            problems.add("linkTimeoutMillis (" + linkTimeoutMillis + ") must be 100..600000");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("safety hold configuration refused: " + String.join("; ", problems));
        }
    }

    /** The metatype defaults. */
    public static HoldSettings defaults() {
        return new HoldSettings(10, 2000, 500, 3000);
    }

    public static HoldSettings from(Config c) {
        return new HoldSettings(c.loopPeriodMillis(), c.watchdogTimeoutMillis(), c.feedbackCheckMillis(),
                c.linkTimeoutMillis());
    }
}
