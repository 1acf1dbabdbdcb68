package org.voltkeep.hal.sim.scenario;

import java.util.Objects;
import java.util.OptionalLong;

import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.json.Json;

/**
 * One injected fault and how fast the contactor was commanded open after it.
 *
 * @param fault                            the simulated fault
 * @param atMillis                         board time of the injection
 * @param contactorWasClosed               the contactor was commanded closed at the injection
 * @param contactorOpenCommandAfterMillis  board ms from the injection to the open command, when one came
 * @param reactionMicros                   wall µs from the injection to the open command, when one came
 */
public record FaultRecord(SimFault fault, long atMillis, boolean contactorWasClosed,
                          OptionalLong contactorOpenCommandAfterMillis, OptionalLong reactionMicros) {
    public FaultRecord {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(contactorOpenCommandAfterMillis, "contactorOpenCommandAfterMillis");
        Objects.requireNonNull(reactionMicros, "reactionMicros");
    }

    public Json.Obj toJson() {
        Json.Obj o = Json.object()
                .put("fault", fault.name())
                .put("atMillis", atMillis)
                .put("contactorWasClosed", contactorWasClosed);
        o.put("contactorOpenCommandAfterMillis", contactorOpenCommandAfterMillis.isPresent()
                ? contactorOpenCommandAfterMillis.getAsLong() : null);
        o.put("reactionMicros", reactionMicros.isPresent() ? reactionMicros.getAsLong() : null);
        return o;
    }
}
