package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.json.Json;

class ExpectationsTest {
    static Expectations.Observed observed(String state, Set<String> faults, long wh, List<Long> reactions, boolean open) {
        return new Expectations.Observed(state, faults, wh, reactions, open, false, 0, 0);
    }

    @Test
    void passesWhenEveryExpectationHolds() {
        Expectations e = Expectations.parse(Json.parseObject("""
                {"expect": {"finalState": "A", "faults": ["RCD_TRIP"], "minEnergyWh": 10, "maxReactionMillis": 100, "contactorOpenAtEnd": true}}"""));
        List<Expectations.Check> checks = e.evaluate(observed("A", Set.of("RCD_TRIP"), 50, List.of(0L, 20L), true));
        assertThat(checks).hasSize(5).allMatch(Expectations.Check::passed);
    }

    @Test
    void failsEachBrokenRuleWithTheNumbers() {
        Expectations e = Expectations.parse(Json.parseObject("""
                {"expect": {"finalState": "A", "faults": [], "minEnergyWh": 100, "maxReactionMillis": 100, "contactorOpenAtEnd": true}}"""));
        List<Expectations.Check> checks = e.evaluate(observed("F", Set.of("CONTACTOR_WELDED"), 40, List.of(350L), false));
        assertThat(checks).noneMatch(Expectations.Check::passed);
        assertThat(checks).extracting(Expectations.Check::detail).anyMatch(d -> d.contains("350 ms"))
                .anyMatch(d -> d.contains("40 Wh, expected at least 100 Wh")).anyMatch(d -> d.contains("CONTACTOR_WELDED"));
    }

    @Test
    void aReactionLimitWithoutAnyReactionFails() {
        Expectations e = Expectations.parse(Json.parseObject("{\"expect\": {\"maxReactionMillis\": 100}}"));
        assertThat(e.evaluate(observed("A", Set.of(), 0, List.of(), true))).singleElement().matches(c -> !c.passed());
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> Expectations.parse(Json.parseObject("{\"expect\": {\"finalstate\": \"A\"}}")))
                .hasMessageContaining("finalstate: unknown key");
    }
}
