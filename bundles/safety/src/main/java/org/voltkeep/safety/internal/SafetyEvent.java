package org.voltkeep.safety.internal;

import org.voltkeep.charging.Fault;
import org.voltkeep.charging.StopReason;

/** Something a cycle decided that is worth a log line or a persisted record. */
public sealed interface SafetyEvent {
    long boardMillis();

    record FaultRaised(Fault fault, long boardMillis, String cause) implements SafetyEvent {
    }

    record FaultCleared(Fault fault, long boardMillis) implements SafetyEvent {
    }

    record SessionStarted(long sessionId, long boardMillis, long meterWh) implements SafetyEvent {
    }

    record SessionEnded(long sessionId, long boardMillis, long energyWh, StopReason reason) implements SafetyEvent {
    }

    record StopApplied(long sessionId, long boardMillis, StopReason reason) implements SafetyEvent {
    }
}
