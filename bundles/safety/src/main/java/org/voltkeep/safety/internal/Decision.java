package org.voltkeep.safety.internal;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SafetyLogic#decide} returns for one cycle.
 *
 * @param next       the state to remember (the contactor command is recorded after the guard)
 * @param outputs    what to drive, before the output guard
 * @param limit      the effective limit this cycle
 * @param transition the table row that was applied
 * @param events     faults raised or cleared, sessions started or ended, stops applied
 */
public record Decision(ControllerState next, Outputs outputs, EffectiveLimit limit, Transition transition,
        List<SafetyEvent> events) {
    public Decision {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(transition, "transition");
        events = List.copyOf(events);
    }
}
