package org.voltkeep.hal.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.json.JsonException;

class ScenarioParserTest {

    static List<Path> scenarioFiles() {
        return ScenarioFiles.all();
    }

    @Test
    void everyScenarioTheBriefAsksForExists() {
        assertThat(scenarioFiles()).extracting(p -> p.getFileName().toString()).contains(
                "default.json", "rcd-trip.json", "weld.json", "overtemp.json", "cp-short.json", "diode.json",
                "pp-removed.json", "link-silent.json", "app-crash.json", "limit.json", "pause.json");
    }

    @ParameterizedTest
    @MethodSource("scenarioFiles")
    void everyScenarioFileParses(Path file) throws IOException {
        Scenario s = ScenarioParser.parse(Files.readString(file));
        assertThat(file.getFileName().toString()).isEqualTo(s.name() + ".json");
        assertThat(s.timeline()).isNotEmpty();
        assertThat(s.description()).isNotBlank();
        assertThat(s.expect().finalState()).isPresent();
        assertThat(s.timeline().get(0).action()).isInstanceOf(Action.Plug.class);
    }

    @Test
    void readsTheDefaultScenario() {
        Scenario s = ScenarioParser.parse(ScenarioFiles.read("default.json"));
        assertThat(s.ev().batteryWh()).isEqualTo(2000);
        assertThat(s.ev().maxCurrentMilliamps()).isEqualTo(16_000);
        assertThat(s.ev().initialSocPercent()).isEqualTo(80);
        assertThat(s.cable()).isEqualTo(CableRating.A32);
        assertThat(s.ambient().celsius()).isEqualTo(25.0);
        assertThat(s.endAfter()).isEqualTo(Duration.ofSeconds(900));
        assertThat(s.settle()).isEqualTo(Scenario.DEFAULT_SETTLE);
        assertThat(s.timeline()).extracting(Scenario.Entry::trigger).containsExactly(
                new Scenario.At(Duration.ofSeconds(1)), new Scenario.At(Duration.ofSeconds(3)),
                new Scenario.When(Scenario.Condition.EV_FULL, Duration.ofSeconds(10)));
        assertThat(s.timeline().get(1).action()).isEqualTo(new Action.Authorize("demo"));
        assertThat(s.timeline().get(1).toJson().string("idTag")).isEqualTo("demo");
        assertThat(s.expect().finalState()).contains(ChargerState.A);
        assertThat(s.expect().faults()).contains(Set.of());
        assertThat(s.expect().minEnergyWh()).hasValue(380);
        assertThat(s.expect().contactorOpenAtEnd()).contains(true);
        assertThat(s.expect().linkFallbackSeen()).isEmpty();
    }

    @Test
    void readsEveryKindOfAction() {
        Scenario s = ScenarioParser.parse("""
                {"name": "all", "timeline": [
                  {"at": 0.5, "do": "plug", "cable": "A13", "ev": {"maxCurrentAmps": 6.5, "phases": 1}},
                  {"at": 1, "do": "ev-pause"}, {"at": 1, "do": "ev-resume"},
                  {"at": 2, "do": "fault", "fault": "CP_SHORT"}, {"at": 2, "do": "clear-fault", "fault": "CP_SHORT"},
                  {"at": 2, "do": "temperature", "celsius": -10.5},
                  {"at": 3, "do": "authorize", "idTag": "card-1"}, {"at": 3, "do": "stop", "reason": "LOCAL"},
                  {"at": 3, "do": "stop"},
                  {"at": 4, "do": "limit", "claimId": "grid", "amps": 10, "ttlSeconds": 60, "priority": 70},
                  {"at": 4, "do": "clear-limit", "claimId": "grid"}, {"at": 4, "do": "reset-faults"},
                  {"at": 5, "do": "kill-app"}, {"at": 5, "do": "silence-link"}, {"at": 5, "do": "restore-link"},
                  {"at": 5, "do": "await-app"},
                  {"when": "unplugged", "do": "unplug", "note": "no delay means at once"}
                ], "expect": {"faults": ["CP_SHORT", "RCD_TRIP"], "linkFallbackSeen": true, "maxCurrentAmpsDuringFallback": 6}}
                """);
        List<Action> actions = s.timeline().stream().map(Scenario.Entry::action).toList();
        Action.Plug plug = (Action.Plug) actions.get(0);
        assertThat(plug.cable()).contains(CableRating.A13);
        assertThat(plug.ev().orElseThrow().maxCurrentMilliamps()).isEqualTo(6500);
        assertThat(plug.ev().orElseThrow().phases()).isEqualTo(1);
        assertThat(actions.get(3)).isEqualTo(new Action.InjectFault(SimFault.CP_SHORT));
        assertThat(((Action.SetTemperature) actions.get(5)).ambient().deciCelsius()).isEqualTo(-105);
        assertThat(((Action.Stop) actions.get(7)).reason()).isEqualTo(org.voltkeep.charging.StopReason.LOCAL);
        assertThat(((Action.Stop) actions.get(8)).reason()).isEqualTo(org.voltkeep.charging.StopReason.REMOTE);
        Action.Limit limit = (Action.Limit) actions.get(9);
        assertThat(limit.request().milliamps()).isEqualTo(10_000);
        assertThat(limit.request().ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(limit.request().priority()).isEqualTo(70);
        assertThat(actions).extracting(Action::verb).containsExactly("plug", "ev-pause", "ev-resume", "fault", "clear-fault",
                "temperature", "authorize", "stop", "stop", "limit", "clear-limit", "reset-faults", "kill-app",
                "silence-link", "restore-link", "await-app", "unplug");
        assertThat(actions.stream().filter(a -> a instanceof Action.Cue).count()).isEqualTo(10);
        assertThat(s.timeline().get(16).trigger()).isEqualTo(new Scenario.When(Scenario.Condition.UNPLUGGED, Duration.ZERO));
        assertThat(s.expect().faults()).contains(Set.of(Fault.CP_SHORT, Fault.RCD_TRIP));
        assertThat(s.ev().name()).isEqualTo("standard");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object                | []                                                                        | expected a JSON object
            broken JSON                  | {"name": "x", "timeline": [}                                              | JSON line 1
            missing name                 | {"timeline": []}                                                          | $.name: missing
            unknown top key              | {"name": "x", "timeline": [], "speed": 3}                                 | $.speed: unknown key
            timeline not an array        | {"name": "x", "timeline": {}}                                             | $.timeline: expected an array
            unknown action               | {"name": "x", "timeline": [{"at": 1, "do": "dance"}]}                     | $.timeline[0].do: unknown action 'dance'
            missing do                   | {"name": "x", "timeline": [{"at": 1}]}                                    | $.timeline[0].do: missing
            negative at                  | {"name": "x", "timeline": [{"at": -1, "do": "plug"}]}                     | $.timeline[0].at: -1 s is negative
            negative delay               | {"name": "x", "timeline": [{"when": "ev-full", "delay": -2, "do": "unplug"}]} | $.timeline[0].delay: -2 s is negative
            at and when together         | {"name": "x", "timeline": [{"at": 1, "when": "ev-full", "do": "unplug"}]} | $.timeline[0]: needs exactly one of 'at'
            neither at nor when          | {"name": "x", "timeline": [{"do": "unplug"}]}                             | $.timeline[0]: needs exactly one of 'at'
            delay with at                | {"name": "x", "timeline": [{"at": 1, "delay": 2, "do": "unplug"}]}        | $.timeline[0].delay: only allowed with 'when'
            unknown condition            | {"name": "x", "timeline": [{"when": "sunrise", "do": "unplug"}]}          | $.timeline[0].when: unknown condition 'sunrise'
            unknown fault                | {"name": "x", "timeline": [{"at": 1, "do": "fault", "fault": "FIRE"}]}    | $.timeline[0].fault: 'FIRE' is not one of
            unknown cable                | {"name": "x", "cable": "A40", "timeline": []}                             | $.cable: 'A40' is not one of
            NONE as cable                | {"name": "x", "timeline": [{"at": 1, "do": "plug", "cable": "NONE"}]}     | $.timeline[0].cable: NONE is not a cable rating
            wrong type                   | {"name": "x", "endAfterSeconds": "ten", "timeline": []}                   | $.endAfterSeconds: expected a number, found string
            key of another action        | {"name": "x", "timeline": [{"at": 1, "do": "unplug", "fault": "CP_SHORT"}]} | $.timeline[0].fault: unknown key
            ev key typo                  | {"name": "x", "ev": {"maxCurrent": 16}, "timeline": []}                   | $.ev.maxCurrent: unknown key
            ev phases out of range       | {"name": "x", "ev": {"phases": 4}, "timeline": []}                        | $.ev.phases: 4 is outside 1..3
            ev current out of range      | {"name": "x", "ev": {"maxCurrentAmps": 100}, "timeline": []}              | $.ev.maxCurrentAmps: 100 A is outside 0..80 A
            limit ttl zero               | {"name": "x", "timeline": [{"at": 1, "do": "limit", "claimId": "g", "amps": 10, "ttlSeconds": 0}]} | $.timeline[0]: time to live
            limit bad claim id           | {"name": "x", "timeline": [{"at": 1, "do": "clear-limit", "claimId": "a b"}]} | $.timeline[0].claimId: 'a b' must be
            at going backwards           | {"name": "x", "timeline": [{"at": 5, "do": "plug"}, {"at": 2, "do": "unplug"}]} | $.timeline[1].at: 2 s is earlier than the 5 s
            unknown expected fault       | {"name": "x", "timeline": [], "expect": {"faults": ["SMOKE"]}}            | $.expect.faults[0]: 'SMOKE' is not one of
            unknown expected state       | {"name": "x", "timeline": [], "expect": {"finalState": "C3"}}             | $.expect.finalState: 'C3' is not one of
            unknown expect key           | {"name": "x", "timeline": [], "expect": {"energy": 3}}                    | $.expect.energy: unknown key
            min above max energy         | {"name": "x", "timeline": [], "expect": {"minEnergyWh": 5, "maxEnergyWh": 4}} | $.expect.minEnergyWh: 5 is more than maxEnergyWh 4
            temperature out of range     | {"name": "x", "timeline": [{"at": 1, "do": "temperature", "celsius": 500}]} | $.timeline[0].celsius: 500.0 °C is outside
            zero end                     | {"name": "x", "endAfterSeconds": 0, "timeline": []}                       | $.endAfterSeconds: must be more than 0
            fractional soc               | {"name": "x", "ev": {"initialSocPercent": 50.5}, "timeline": []}          | $.ev.initialSocPercent: expected a whole number
            blank name                   | {"name": " ", "timeline": []}                                             | $.name: must not be blank
            """)
    void rejectsMalformedScenariosNamingTheProblem(String what, String json, String message) {
        assertThatThrownBy(() -> ScenarioParser.parse(json))
                .as(what)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parseErrorsAreJsonExceptions() {
        assertThatThrownBy(() -> ScenarioParser.parse("{\"name\": 3, \"timeline\": []}"))
                .isInstanceOf(JsonException.class).hasMessage("$.name: expected a string, found number");
    }
}
