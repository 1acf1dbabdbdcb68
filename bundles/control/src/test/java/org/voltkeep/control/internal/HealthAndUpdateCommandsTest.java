package org.voltkeep.control.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.testing.FakeChargingService;
import org.voltkeep.health.HealthCheck;
import org.voltkeep.health.HealthResult;
import org.voltkeep.json.Json;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.UpdateSource;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.json.UpdateStatusJson;

class HealthAndUpdateCommandsTest {
    private final FakeChargingService charging = new FakeChargingService();
    private boolean chargingPresent = true;
    private long nanos;
    private final BoardClock board = new BoardClock(Duration.ofSeconds(3), () -> nanos);
    private final List<HealthCheck> checks = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private UpdateService updates;
    private final CommandHandler handler = new CommandHandler(() -> chargingPresent ? charging : null, () -> null,
            () -> updates, new Health(() -> chargingPresent ? charging : null, board, () -> List.copyOf(checks),
                    Duration.ofMillis(300), executor), "app");

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static HealthCheck check(String name, HealthResult r) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthResult check() {
                return r;
            }
        };
    }

    private Json.Obj health() {
        return Json.parseObject(handler.handle(new Command.Health()).write());
    }

    private static String checkLine(Json.Obj reply, String name) {
        Json.Arr a = reply.arr("checks");
        for (int i = 0; i < a.size(); i++) {
            Json.Obj c = a.obj(i);
            if (c.string("name").equals(name)) {
                return (c.bool("passed") ? "pass: " : "FAIL: ") + c.string("detail");
            }
        }
        throw new AssertionError("no check " + name + " in " + reply.write());
    }

    /** The link is up and board time advances, as with a running safety domain. */
    private void runningCharger() {
        charging.status = FakeChargingService.status(1_000, ChargerState.A, 0, 0);
        board.seen(1_000);
        nanos += 1_000_000_000L;
        board.seen(2_000);
    }

    @Test
    void aRunningChargerWithPassingChecksIsHealthy() {
        runningCharger();
        checks.add(check("mqtt-connected", HealthResult.pass("broker at 127.0.0.1:1883")));
        Json.Obj r = health();
        assertThat(r.bool("ok")).isTrue();
        assertThat(r.bool("healthy")).as(r.write()).isTrue();
        assertThat(checkLine(r, "link")).isEqualTo("pass: link to safety UP");
        assertThat(checkLine(r, "safety-self-test")).isEqualTo("pass: safety's start-up self-test passed");
        assertThat(checkLine(r, "board")).startsWith("pass: board time advancing (2000 ms");
        assertThat(checkLine(r, "mqtt-connected")).isEqualTo("pass: broker at 127.0.0.1:1883");
    }

    @Test
    void withoutSafetyEveryBuiltInCheckFails() {
        chargingPresent = false;
        Json.Obj r = health();
        assertThat(r.bool("healthy")).isFalse();
        assertThat(checkLine(r, "link")).isEqualTo("FAIL: no charging service (link client not running)");
        assertThat(checkLine(r, "safety-self-test")).isEqualTo("FAIL: no status from safety");
        assertThat(checkLine(r, "board")).isEqualTo("FAIL: no status from safety yet");
    }

    @Test
    void aFailedSelfTestAFrozenBoardOrADownLinkMakeItUnhealthy() {
        runningCharger();
        ChargerStatus s = charging.status;
        charging.status = new ChargerStatus(s.boardMillis(), s.state(), s.pwmPermille(), s.contactorCommanded(),
                s.contactorFeedback(), s.authorized(), s.idTag(), s.sessionId(), s.sessionStartMillis(), s.sessionEnergyWh(),
                s.meterEnergyWh(), s.currentMilliamps(), s.powerWatts(), s.limitMilliamps(), s.limitSource(), s.cableMilliamps(),
                s.temperatureDeciC(), s.activeFaults(), s.link(), s.fallback(), s.stopRequested(), false);
        assertThat(checkLine(health(), "safety-self-test")).isEqualTo("FAIL: safety's start-up self-test failed");

        nanos += 5_000_000_000L;
        board.seen(2_000);
        assertThat(checkLine(health(), "board")).isEqualTo("FAIL: board time has not advanced for 5.0 s (stuck at 2000 ms)");

        charging.link = LinkState.DISCONNECTED;
        Json.Obj r = health();
        assertThat(checkLine(r, "link")).isEqualTo("FAIL: link to safety DISCONNECTED");
        assertThat(r.bool("healthy")).isFalse();
    }

    @Test
    void aBoardSeenOnceHasNotShownItAdvances() {
        board.seen(500);
        assertThat(board.check()).isEqualTo(HealthResult.fail("board time has not advanced yet (one status seen, board at 500 ms)"));
        board.seen(400);
        assertThat(board.check().passed()).as("time going back is not progress").isFalse();
    }

    @Test
    void aFailingThrowingOrHangingRegisteredCheckMakesItUnhealthy() {
        runningCharger();
        checks.add(check("disk", HealthResult.fail("data partition 99% full")));
        assertThat(health().bool("healthy")).isFalse();
        assertThat(checkLine(health(), "disk")).isEqualTo("FAIL: data partition 99% full");

        checks.clear();
        checks.add(new HealthCheck() {
            @Override
            public String name() {
                return "throws";
            }

            @Override
            public HealthResult check() {
                throw new IllegalStateException("boom");
            }
        });
        checks.add(new HealthCheck() {
            @Override
            public String name() {
                return "hangs";
            }

            @Override
            public HealthResult check() {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HealthResult.pass("late");
            }
        });
        Json.Obj r = health();
        assertThat(r.bool("healthy")).isFalse();
        assertThat(checkLine(r, "throws")).isEqualTo("FAIL: the check failed: java.lang.IllegalStateException: boom");
        assertThat(checkLine(r, "hangs")).isEqualTo("FAIL: no answer within 300 ms");
    }

    /** Records the requests and answers as the test says. */
    private static final class RecordingUpdates implements UpdateService {
        final List<UpdateRequest> requests = new ArrayList<>();
        UpdateException refusal;
        UpdateStatus status;

        @Override
        public UpdateStatus start(UpdateRequest request) throws UpdateException {
            requests.add(request);
            if (refusal != null) {
                throw refusal;
            }
            status = UpdateStatus.begin("r1", request, Instant.parse("2026-06-01T00:00:00Z"));
            return status;
        }

        @Override
        public Optional<UpdateStatus> status() {
            return Optional.ofNullable(status);
        }

        @Override
        public BootSlots slots() throws UpdateException {
            throw new UpdateException("not asked here");
        }
    }

    @Test
    void updateInstallReachesTheAgentAndAnswersWithTheFirstStatus() throws Exception {
        RecordingUpdates u = new RecordingUpdates();
        updates = u;
        Command c = CommandParser.parse("{\"cmd\":\"update-install\",\"source\":\"/var/tmp/new.vkimg\",\"force\":true}");
        Json.Obj r = Json.parseObject(handler.handle(c).write());
        assertThat(r.bool("ok")).isTrue();
        assertThat(u.requests).containsExactly(new UpdateRequest(new UpdateSource.LocalFile(Path.of("/var/tmp/new.vkimg")), true));
        UpdateStatus first = UpdateStatusJson.read(r.obj("update"));
        assertThat(first.status()).isEqualTo(FirmwareStatus.Downloading);
        assertThat(first.forced()).isTrue();

        Json.Obj st = Json.parseObject(handler.handle(new Command.UpdateStatusQuery()).write());
        assertThat(UpdateStatusJson.read(st.obj("update"))).isEqualTo(first);

        u.refusal = new UpdateException("update r1 from /var/tmp/new.vkimg is under way (Downloading)");
        Json.Obj refused = Json.parseObject(handler.handle(c).write());
        assertThat(refused.bool("ok")).isFalse();
        assertThat(refused.string("code")).isEqualTo("NOT_ALLOWED");
        assertThat(refused.string("error")).isEqualTo(u.refusal.getMessage());
    }

    @Test
    void updateCommandsWithoutAnAgentSaySo() {
        Json.Obj r = Json.parseObject(handler.handle(new Command.UpdateStatusQuery()).write());
        assertThat(r.bool("ok")).isFalse();
        assertThat(r.string("code")).isEqualTo("NOT_CONNECTED");
        assertThat(r.string("error")).isEqualTo("no update agent in this domain");
        updates = new RecordingUpdates();
        Json.Obj none = Json.parseObject(handler.handle(new Command.UpdateStatusQuery()).write());
        assertThat(none.write()).isEqualTo("{\"ok\":true,\"update\":null}");
    }

    @Test
    void theNewCommandsParse() throws Exception {
        assertThat(CommandParser.parse("{\"cmd\":\"health\"}")).isEqualTo(new Command.Health());
        assertThat(CommandParser.parse("{\"cmd\":\"update-status\"}")).isEqualTo(new Command.UpdateStatusQuery());
        assertThat(CommandParser.parse("{\"cmd\":\"update-install\",\"source\":\"https://example.org/a.vkimg\"}"))
                .isEqualTo(new Command.UpdateInstall(UpdateRequest.of("https://example.org/a.vkimg", false)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "{\"cmd\":\"health\",\"verbose\":true}|$.verbose: unknown key",
        "{\"cmd\":\"update-install\"}|$.source: missing",
        "{\"cmd\":\"update-install\",\"source\":7}|$.source: expected a string",
        "{\"cmd\":\"update-install\",\"source\":\"new.vkimg\"}|$.source: source 'new.vkimg': a file path must be absolute",
        "{\"cmd\":\"update-install\",\"source\":\"http://example.org/a\"}|$.source: source 'http://example.org/a': plain http is not accepted",
        "{\"cmd\":\"update-install\",\"source\":\"/a.vkimg\",\"force\":\"yes\"}|$.force: expected true or false",
        "{\"cmd\":\"update-install\",\"source\":\"/a.vkimg\",\"url\":\"x\"}|$.url: unknown key",
        "{\"cmd\":\"update-status\",\"id\":1}|$.id: unknown key",
    })
    void badUpdateAndHealthLinesNameTheField(String line, String expected) {
        assertThatThrownBy(() -> CommandParser.parse(line)).isInstanceOf(CommandException.class).hasMessageContaining(expected);
    }
}
