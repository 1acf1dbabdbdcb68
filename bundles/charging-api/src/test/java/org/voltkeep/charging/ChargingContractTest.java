package org.voltkeep.charging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

class ChargingContractTest {
    @Test
    void limitRequestsOutsideTheirRangesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new LimitRequest("a b", 1, 6000, Duration.ofSeconds(1))).hasMessageContaining("claim id 'a b'");
        assertThatThrownBy(() -> new LimitRequest("x".repeat(33), 1, 6000, Duration.ofSeconds(1))).hasMessageContaining("claim id");
        assertThatThrownBy(() -> new LimitRequest("ok", 101, 6000, Duration.ofSeconds(1))).hasMessageContaining("priority 101");
        assertThatThrownBy(() -> new LimitRequest("ok", 1, 80001, Duration.ofSeconds(1))).hasMessageContaining("limit 80001 mA");
        assertThatThrownBy(() -> new LimitRequest("ok", 1, -1, Duration.ofSeconds(1))).hasMessageContaining("limit -1 mA");
        assertThatThrownBy(() -> new LimitRequest("ok", 1, 6000, Duration.ZERO)).hasMessageContaining("time to live");
        assertThatThrownBy(() -> new LimitRequest("ok", 1, 6000, Duration.ofHours(2))).hasMessageContaining("time to live");
        assertThat(new LimitRequest("ocpp.tx-profile_1", 100, 80000, Duration.ofHours(1)).milliamps()).isEqualTo(80000);
    }

    @Test
    void errorCodesHaveStableDistinctWireNumbers() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(seen.add(c.wire())).as("duplicate wire code " + c.wire()).isTrue();
            assertThat(ErrorCode.fromWire(c.wire())).isEqualTo(c);
        }
        assertThat(ErrorCode.fromWire(200)).isNull();
        assertThat(ErrorCode.FAULT_LATCHED.wire()).isEqualTo(7);
    }

    @Test
    void statusSurvivesItsJsonForm() {
        ChargerStatus s = new ChargerStatus(123_456, ChargerState.C2, 266, true, true, true, "RFID-04A2", 42, 1000, 1500,
                99_000, 15_900, 10_971, 16_000, LimitSource.REQUEST, 32_000, 312, EnumSet.of(Fault.OVER_TEMPERATURE, Fault.RCD_TRIP),
                LinkState.UP, FallbackMode.SAFE_CURRENT, false, true);
        Json.Obj o = StatusJson.write(s);
        assertThat(StatusJson.read(Json.parseObject(o.write()))).isEqualTo(s);
        assertThat(o.write()).contains("\"faults\":[\"RCD_TRIP\",\"OVER_TEMPERATURE\"]");
        assertThat(o.write()).contains("\"idTag\":\"RFID-04A2\"");
        assertThat(s.charging()).isTrue();
    }

    @Test
    void aStatusWithAnUnknownFaultIsRefused() {
        String bad = StatusJson.write(idle()).write().replace("\"faults\":[]", "\"faults\":[\"GREMLINS\"]");
        assertThatThrownBy(() -> StatusJson.read(Json.parseObject(bad))).hasMessageContaining("unknown fault 'GREMLINS'");
    }

    @Test
    void aNullIdTagIsEmptyAndANonStringOneIsRefusedNamingItsPath() {
        assertThat(idle().idTag()).isEmpty();
        String json = StatusJson.write(idle()).write();
        assertThat(json).contains("\"idTag\":\"\"");
        assertThat(StatusJson.read(Json.parseObject(json)).idTag()).isEmpty();
        String bad = json.replace("\"idTag\":\"\"", "\"idTag\":7");
        assertThatThrownBy(() -> StatusJson.read(Json.parseObject(bad))).hasMessageContaining("$.idTag");
    }

    private static ChargerStatus idle() {
        return new ChargerStatus(0, ChargerState.A, 1000, false, false, false, null, 0, 0, 0, 0, 0, 0, 0,
                LimitSource.NONE, 0, 250, Set.of(), LinkState.UP, FallbackMode.STOP, false, true);
    }

    @Test
    void idTagsFollowOneRuleEverywhere() {
        assertThat(IdTag.valid("RFID-0001")).isTrue();
        assertThat(IdTag.valid("x".repeat(IdTag.MAX_LENGTH))).isTrue();
        assertThat(IdTag.valid("x".repeat(IdTag.MAX_LENGTH + 1))).isFalse();
        assertThat(IdTag.valid("")).isFalse();
        assertThat(IdTag.valid("   ")).isFalse();
        assertThat(IdTag.valid(null)).isFalse();
        assertThat(IdTag.valid("tab\there")).isFalse();
        assertThat(IdTag.valid("caf\u00e9")).isFalse();
    }
}
