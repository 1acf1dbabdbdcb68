package org.voltkeep.update.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateStatus;

class UpdateJsonTest {
    private static final UpdateStatus STATUS = new UpdateStatus("7f3a", FirmwareStatus.InstallScheduled,
            "https://example.org/2.vkimg", false, "2.0.0", 2, "b", "verifying", 900, 1000,
            "session 4 running: activates when the car is unplugged", Instant.parse("2026-03-01T10:00:00Z"),
            Instant.parse("2026-03-01T10:00:07.250Z"));

    @Test
    void statusRoundTripsAndIgnoresUnknownKeys() {
        Json.Obj o = UpdateStatusJson.write(STATUS);
        assertThat(UpdateStatusJson.read(Json.parseObject(o.write()))).isEqualTo(STATUS);
        o.put("addedByANewerVersion", 1);
        assertThat(UpdateStatusJson.read(o)).isEqualTo(STATUS);
    }

    @Test
    void aBadStatusNamesTheKey() {
        Json.Obj o = UpdateStatusJson.write(STATUS).put("status", "Rebooting");
        assertThatThrownBy(() -> UpdateStatusJson.read(o)).isInstanceOf(JsonException.class)
                .hasMessageContaining("$.status: 'Rebooting' is not one of");
        Json.Obj t = UpdateStatusJson.write(STATUS).put("started", "yesterday");
        assertThatThrownBy(() -> UpdateStatusJson.read(t)).hasMessageContaining("$.started: 'yesterday' is not an ISO-8601 instant");
    }

    @Test
    void slotsAsTheLauncherSendsThem() {
        Json.Obj o = Json.parseObject("{\"ok\":true,\"booted\":\"a\",\"primary\":\"a\",\"floor\":1,"
                + "\"trial\":{\"slot\":\"b\",\"attemptsLeft\":2},\"slots\":["
                + "{\"slot\":\"a\",\"state\":\"good\",\"version\":\"1.0.0\",\"securityVersion\":1,\"manifestSha256\":\"ab12\",\"why\":\"\"},"
                + "{\"slot\":\"b\",\"state\":\"trial\",\"version\":\"2.0.0\",\"securityVersion\":2,\"manifestSha256\":\"cd34\",\"why\":\"installed\",\"extra\":true}]}");
        BootSlots b = BootSlotsJson.read(o);
        assertThat(b.booted()).isEqualTo("a");
        assertThat(b.trial()).contains(new BootSlots.Trial("b", 2));
        assertThat(b.slot("b")).contains(new BootSlots.Slot("b", BootSlots.SlotState.trial, "2.0.0", 2, "cd34", "installed"));
        assertThat(BootSlotsJson.read(BootSlotsJson.write(b))).isEqualTo(b);
    }

    @Test
    void anEmptySlotMayLeaveOutItsImageAndNoTrialIsNull() {
        BootSlots b = BootSlotsJson.read(Json.parseObject("{\"booted\":\"a\",\"primary\":\"a\",\"floor\":0,\"trial\":null,"
                + "\"slots\":[{\"slot\":\"b\",\"state\":\"empty\",\"version\":null}]}"));
        assertThat(b.trial()).isEqualTo(Optional.empty());
        assertThat(b.slot("b")).contains(new BootSlots.Slot("b", BootSlots.SlotState.empty, "", 0, "", ""));
    }

    @Test
    void badSlotsNameThePath() {
        assertThatThrownBy(() -> BootSlotsJson.read(Json.parseObject("{\"booted\":\"A/\",\"primary\":\"a\",\"floor\":0,\"slots\":[]}")))
                .hasMessageContaining("$.booted: 'A/' is not a slot name");
        assertThatThrownBy(() -> BootSlotsJson.read(Json.parseObject("{\"booted\":\"a\",\"primary\":\"a\",\"floor\":0,"
                + "\"slots\":[{\"slot\":\"b\",\"state\":\"broken\"}]}"))).hasMessageContaining("'broken' is not one of");
        assertThatThrownBy(() -> BootSlotsJson.read(Json.parseObject("{\"booted\":\"a\",\"primary\":\"a\",\"floor\":0,\"trial\":5,\"slots\":[]}")))
                .hasMessageContaining("$.trial: expected an object or null");
    }
}
