package org.voltkeep.control.internal;

import org.voltkeep.charging.testing.FakeChargingService;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.sessions.SessionRecord;

class CommandHandlerTest {
    private final FakeChargingService charging = new FakeChargingService();
    private SessionLog log;
    private boolean chargingPresent = true;
    private final CommandHandler handler = new CommandHandler(() -> chargingPresent ? charging : null, () -> log, () -> null,
            TestHealth.none(() -> chargingPresent ? charging : null), "app");

    private static final SessionRecord DONE = new SessionRecord(3, 100, 900, 12, 16_000, "", SessionRecord.FAULT, Set.of("RCD_TRIP"));
    private static final SessionRecord RUNNING = new SessionRecord(4, 1_000, 1_500, 1, 6_000, "", "", Set.of());

    private static SessionLog logOf(List<SessionRecord> recent, Optional<SessionRecord> open) {
        return new SessionLog() {
            @Override
            public List<SessionRecord> recent(int max) {
                return recent.subList(0, Math.min(max, recent.size()));
            }

            @Override
            public Optional<SessionRecord> open() {
                return open;
            }
        };
    }

    @Test
    void statusCarriesLinkStatusAndOpenSession() {
        ChargerStatus s = FakeChargingService.status(5_000, ChargerState.C2, 4, 15_500);
        charging.status = s;
        log = logOf(List.of(), Optional.of(RUNNING));

        Json.Obj o = Json.parseObject(handler.handle(new Command.Status()).write());

        assertThat(o.bool("ok")).isTrue();
        assertThat(o.string("link")).isEqualTo("UP");
        assertThat(StatusJson.read(o.obj("status"))).isEqualTo(s);
        assertThat(o.obj("openSession").integer("sessionId")).isEqualTo(RUNNING.sessionId());
    }

    @Test
    void statusWithoutLinkOrSessionsSaysSo() {
        chargingPresent = false;
        Json.Obj o = Json.parseObject(handler.handle(new Command.Status()).write());
        assertThat(o.bool("ok")).isTrue();
        assertThat(o.string("link")).isEqualTo("DISCONNECTED");
        assertThat(o.get("status").typeName()).isEqualTo("null");
        assertThat(o.get("openSession").typeName()).isEqualTo("null");
    }

    @Test
    void requestsReachTheServiceAndRefusalsCarryTheCode() {
        LimitRequest limit = new LimitRequest("cli", 10, 10_500, Duration.ofSeconds(60));
        assertThat(handler.handle(new Command.Limit(limit)).write()).isEqualTo("{\"ok\":true}");
        handler.handle(new Command.Stop());
        assertThat(charging.requests()).containsExactly(limit, StopReason.LOCAL);

        charging.reply = Reply.refused(ErrorCode.FAULT_LATCHED, "RCD_TRIP latched until reset");
        Json.Obj o = Json.parseObject(handler.handle(new Command.Authorize("demo")).write());
        assertThat(o.bool("ok")).isFalse();
        assertThat(o.string("code")).isEqualTo("FAULT_LATCHED");
        assertThat(o.string("error")).isEqualTo(charging.reply.detail());
    }

    @Test
    void requestsWithoutTheServiceAreRefusedNotConnected() {
        chargingPresent = false;
        Json.Obj o = Json.parseObject(handler.handle(new Command.ResetFaults()).write());
        assertThat(o.bool("ok")).isFalse();
        assertThat(o.string("code")).isEqualTo(ErrorCode.NOT_CONNECTED.name());
    }

    @Test
    void aThrowingServiceGivesAnInternalError() {
        CommandHandler h = new CommandHandler(() -> new FakeChargingService() {
            @Override
            public synchronized Reply clearLimit(String claimId) {
                throw new IllegalStateException("boom");
            }
        }, () -> null, () -> null, TestHealth.none(() -> null), "app");
        Json.Obj o = Json.parseObject(h.handle(new Command.ClearLimit("x")).write());
        assertThat(o.string("code")).isEqualTo("INTERNAL");
        assertThat(o.string("error")).contains("boom");
    }

    @Test
    void sessionsListsRecentRecords() {
        log = logOf(List.of(DONE), Optional.empty());
        Json.Obj o = Json.parseObject(handler.handle(new Command.Sessions(10)).write());
        Json.Obj first = o.arr("sessions").obj(0);
        assertThat(first.integer("sessionId")).isEqualTo(DONE.sessionId());
        assertThat(first.integer("energyWh")).isEqualTo(DONE.energyWh());
        assertThat(first.string("endReason")).isEqualTo(DONE.endReason());
        assertThat(first.arr("faults").string(0)).isEqualTo("RCD_TRIP");

        log = null;
        assertThat(Json.parseObject(handler.handle(new Command.Sessions(10)).write()).bool("ok")).isFalse();
    }

    @Test
    void pingNamesTheDomain() {
        assertThat(handler.handle(new Command.Ping()).write()).isEqualTo("{\"ok\":true,\"domain\":\"app\"}");
    }
}
