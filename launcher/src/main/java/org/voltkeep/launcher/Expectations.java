package org.voltkeep.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.json.Json;

/**
 * A scenario's {@code expect} block: what safety must have done for the run to
 * pass. Each check yields a line for the summary, so a failing demo says which
 * rule was broken and by how much.
 */
record Expectations(Optional<String> finalState, Optional<Set<String>> faults, OptionalLong minEnergyWh,
        OptionalLong maxEnergyWh, OptionalLong maxReactionMillis, Optional<Boolean> contactorOpenAtEnd,
        Optional<Boolean> linkFallbackSeen, OptionalDouble maxCurrentAmpsDuringFallback, Optional<Boolean> appRestarted) {

    record Check(String name, boolean passed, String detail) {
    }

    /** What the run observed, gathered by the demo driver. */
    record Observed(String finalState, Set<String> faultsReported, long energyWh, List<Long> reactionMillis,
            boolean contactorOpenAtEnd, boolean linkFallbackSeen, int maxMilliampsDuringFallback, int appRestarts) {
    }

    static Expectations parse(Json.Obj scenario) {
        if (!scenario.has("expect")) {
            return new Expectations(Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), Optional.empty(), Optional.empty(), OptionalDouble.empty(), Optional.empty());
        }
        Json.Obj e = scenario.obj("expect").onlyKeys("finalState", "faults", "minEnergyWh", "maxEnergyWh",
                "maxReactionMillis", "contactorOpenAtEnd", "linkFallbackSeen", "maxCurrentAmpsDuringFallback", "appRestarted");
        Optional<Set<String>> faults = Optional.empty();
        if (e.has("faults")) {
            Set<String> set = new TreeSet<>();
            Json.Arr a = e.arr("faults");
            for (int i = 0; i < a.size(); i++) {
                set.add(a.string(i));
            }
            faults = Optional.of(set);
        }
        return new Expectations(
                e.has("finalState") ? Optional.of(e.string("finalState")) : Optional.empty(),
                faults,
                e.has("minEnergyWh") ? OptionalLong.of(e.integer("minEnergyWh")) : OptionalLong.empty(),
                e.has("maxEnergyWh") ? OptionalLong.of(e.integer("maxEnergyWh")) : OptionalLong.empty(),
                e.has("maxReactionMillis") ? OptionalLong.of(e.integer("maxReactionMillis")) : OptionalLong.empty(),
                e.has("contactorOpenAtEnd") ? Optional.of(e.bool("contactorOpenAtEnd")) : Optional.empty(),
                e.has("linkFallbackSeen") ? Optional.of(e.bool("linkFallbackSeen")) : Optional.empty(),
                e.has("maxCurrentAmpsDuringFallback") ? OptionalDouble.of(e.number("maxCurrentAmpsDuringFallback")) : OptionalDouble.empty(),
                e.has("appRestarted") ? Optional.of(e.bool("appRestarted")) : Optional.empty());
    }

    List<Check> evaluate(Observed o) {
        List<Check> checks = new ArrayList<>();
        finalState.ifPresent(s -> checks.add(new Check("final state", s.equals(o.finalState()),
                "expected " + s + ", ended in " + o.finalState())));
        faults.ifPresent(f -> checks.add(new Check("faults reported", f.equals(o.faultsReported()),
                "expected " + (f.isEmpty() ? "none" : f) + ", safety reported " + (o.faultsReported().isEmpty() ? "none" : o.faultsReported()))));
        minEnergyWh.ifPresent(m -> checks.add(new Check("energy delivered", o.energyWh() >= m,
                o.energyWh() + " Wh, expected at least " + m + " Wh")));
        maxEnergyWh.ifPresent(m -> checks.add(new Check("energy bound", o.energyWh() <= m,
                o.energyWh() + " Wh, expected at most " + m + " Wh")));
        maxReactionMillis.ifPresent(m -> {
            long worst = o.reactionMillis().stream().mapToLong(Long::longValue).max().orElse(-1);
            checks.add(new Check("fault reaction", !o.reactionMillis().isEmpty() && worst <= m,
                    o.reactionMillis().isEmpty() ? "no fault hit a closed contactor" : "contactor open command " + worst + " ms (board) after the fault, limit " + m + " ms"));
        });
        contactorOpenAtEnd.ifPresent(b -> checks.add(new Check("contactor at end", b == o.contactorOpenAtEnd(),
                o.contactorOpenAtEnd() ? "open" : "closed")));
        linkFallbackSeen.ifPresent(b -> checks.add(new Check("link fallback", b == o.linkFallbackSeen(),
                o.linkFallbackSeen() ? "safety applied its fallback while the link was silent" : "no fallback seen")));
        maxCurrentAmpsDuringFallback.ifPresent(a -> checks.add(new Check("current during fallback",
                o.maxMilliampsDuringFallback() <= a * 1000,
                String.format("peak %.1f A while in fallback, limit %.1f A", o.maxMilliampsDuringFallback() / 1000.0, a))));
        appRestarted.ifPresent(b -> checks.add(new Check("application domain restarted", b == (o.appRestarts() > 0),
                o.appRestarts() + " restart(s)")));
        return checks;
    }
}
