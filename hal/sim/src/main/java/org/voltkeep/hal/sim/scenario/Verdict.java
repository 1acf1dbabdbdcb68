package org.voltkeep.hal.sim.scenario;

import java.util.List;

import org.voltkeep.json.Json;

/** The outcome of checking a run against a scenario's expectations; each failure says what and by how much. */
public record Verdict(List<String> failures) {
    public Verdict {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    public Json.Obj toJson() {
        Json.Arr a = Json.array();
        failures.forEach(a::add);
        return Json.object().put("passed", passed()).put("failures", a);
    }
}
