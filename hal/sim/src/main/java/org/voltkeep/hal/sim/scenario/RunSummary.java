package org.voltkeep.hal.sim.scenario;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.json.Json;

/**
 * What a run of the simulated board measured.
 *
 * @param startMillis            board time the recording started
 * @param durationMillis         board time recorded
 * @param energyWh               energy the meter counted during the run
 * @param peakCurrentMilliamps   largest phase current seen
 * @param faultsInjected         every injected fault with its reaction
 * @param contactorClosures      how often the auxiliary contact went closed
 * @param watchdogExpired        the hardware watchdog expired
 * @param contactorOpen          the contactor is commanded open with open contacts now
 * @param finalState             the last state safety reported, empty when it reported none
 * @param faultsSeen             every fault safety reported at some point
 * @param linkFallbackSeen       safety reported the link silent at some point
 * @param maxFallbackMilliamps   the largest phase current while safety was in link fallback
 *                               (after the vehicle's grace to follow), empty when never in fallback
 * @param statusCount            how many statuses safety reported
 */
public record RunSummary(long startMillis, long durationMillis, long energyWh, int peakCurrentMilliamps,
                         List<FaultRecord> faultsInjected, int contactorClosures, boolean watchdogExpired,
                         boolean contactorOpen, Optional<ChargerState> finalState, Set<Fault> faultsSeen,
                         boolean linkFallbackSeen, OptionalInt maxFallbackMilliamps, long statusCount) {
    public RunSummary {
        faultsInjected = List.copyOf(faultsInjected);
        faultsSeen = Set.copyOf(faultsSeen);
        Objects.requireNonNull(finalState, "finalState");
        Objects.requireNonNull(maxFallbackMilliamps, "maxFallbackMilliamps");
    }

    public Json.Obj toJson() {
        Json.Arr faults = Json.array();
        faultsInjected.forEach(f -> faults.add(f.toJson()));
        Json.Arr seen = Json.array();
        faultsSeen.stream().sorted().forEach(f -> seen.add(f.name()));
        Json.Obj o = Json.object()
                .put("startMillis", startMillis)
                .put("durationMillis", durationMillis)
                .put("energyWh", energyWh)
                .put("peakCurrentMilliamps", peakCurrentMilliamps)
                .put("faultsInjected", faults)
                .put("contactorClosures", contactorClosures)
                .put("watchdogExpired", watchdogExpired)
                .put("contactorOpen", contactorOpen)
                .put("finalState", finalState.map(Enum::name).orElse(null))
                .put("faultsSeen", seen)
                .put("linkFallbackSeen", linkFallbackSeen)
                .put("maxFallbackMilliamps", maxFallbackMilliamps.isPresent() ? maxFallbackMilliamps.getAsInt() : null)
                .put("statusCount", statusCount);
        return o;
    }
}
