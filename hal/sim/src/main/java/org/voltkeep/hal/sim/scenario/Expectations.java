package org.voltkeep.hal.sim.scenario;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;

/**
 * What a correct safety controller must show during a scenario. Every check is
 * optional; an absent one is not checked.
 *
 * @param finalState                 the last status's state
 * @param faults                     exactly the faults safety reported at some point during
 *                                   the run; an empty set means none may be reported
 * @param minEnergyWh                energy delivered during the run, at least
 * @param maxEnergyWh                energy delivered during the run, at most
 * @param maxReactionMillis          board ms from each injected fault that changes an input at
 *                                   once, while the contactor was commanded closed, to the open command
 * @param contactorOpenAtEnd         the contactor is (true) or is not (false) commanded open with
 *                                   open contacts at the end
 * @param linkFallbackSeen           safety reported the link silent and applied its fallback
 * @param maxCurrentAmpsDuringFallback  the largest phase current while in fallback, after the
 *                                   vehicle's time to follow the lower offer
 * @param appRestarted               the application domain was restarted by its supervisor; the
 *                                   simulator cannot see that, the launcher checks it
 */
public record Expectations(Optional<ChargerState> finalState, Optional<Set<Fault>> faults,
                           OptionalLong minEnergyWh, OptionalLong maxEnergyWh, OptionalLong maxReactionMillis,
                           Optional<Boolean> contactorOpenAtEnd, Optional<Boolean> linkFallbackSeen,
                           OptionalInt maxCurrentAmpsDuringFallback, Optional<Boolean> appRestarted) {

    public static final Expectations NONE = new Expectations(Optional.empty(), Optional.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
            Optional.empty());

    public Expectations {
        Objects.requireNonNull(finalState, "finalState");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(minEnergyWh, "minEnergyWh");
        Objects.requireNonNull(maxEnergyWh, "maxEnergyWh");
        Objects.requireNonNull(maxReactionMillis, "maxReactionMillis");
        Objects.requireNonNull(contactorOpenAtEnd, "contactorOpenAtEnd");
        Objects.requireNonNull(linkFallbackSeen, "linkFallbackSeen");
        Objects.requireNonNull(maxCurrentAmpsDuringFallback, "maxCurrentAmpsDuringFallback");
        Objects.requireNonNull(appRestarted, "appRestarted");
        faults = faults.map(Set::copyOf);
    }
}
