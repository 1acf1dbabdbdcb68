package org.voltkeep.shell.internal;

import org.voltkeep.charging.testing.FakeChargingService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.sessions.SessionRecord;

class ShellCommandsTest {
    @TempDir
    Path dir;
    private final FakeChargingService charging = new FakeChargingService();
    private SessionLog log;
    private boolean linkClient = true;

    private ShellCommands shell(Duration simTimeout) {
        Settings s = new Settings(dir.resolve("sim.sock"), "shell", 50, Duration.ofSeconds(600), simTimeout);
        return new ShellCommands(() -> linkClient ? charging : null, () -> log, () -> null, s);
    }

    private ShellCommands shell() {
        return shell(Duration.ofSeconds(5));
    }

    @Test
    void statusShowsStateContactorCurrentLimitSessionFaultsAndLink() {
        ChargerStatus s = new ChargerStatus(90_000, ChargerState.F, 1000, false, true, true, "RFID-42", 42, 1_000, 3_456,
                99_999, 0, 0, 13_000, LimitSource.CABLE, 13_000, 451, EnumSet.of(Fault.RCD_TRIP, Fault.OVER_TEMPERATURE),
                LinkState.UP, FallbackMode.STOP, true, true);
        charging.status = s;

        String out = shell().status();

        assertThat(out.lines()).hasSize(7);
        assertThat(out).contains("state      " + s.state())
                .contains("commanded open, feedback closed (mismatch)")
                .contains(Format.amps(s.currentMilliamps()) + " of " + Format.amps(s.limitMilliamps()) + " limit (set by " + s.limitSource() + ")")
                .contains("session    #" + s.sessionId() + ", " + Format.kWh(s.sessionEnergyWh())
                        + ", authorized, tag RFID-42, stop requested")
                .contains("RCD_TRIP (needs reset), OVER_TEMPERATURE (clears when gone)")
                .contains("fallback " + s.fallback());
    }

    @Test
    void statusOfAChargingSession() {
        charging.status = FakeChargingService.status(5_000, ChargerState.C2, 7, 15_800);
        String out = shell().status();
        assertThat(out).contains("charging").contains("15.8 A of 16.0 A").contains("faults     none")
                .contains("session    #7, 1.234 kWh, authorized, tag demo\n");
    }

    @Test
    void statusShowsTheTagOfAPreAuthorizationAndNoTagWithoutAuthorization() {
        charging.status = FakeChargingService.status(5_000, ChargerState.A, 0, 0, "RFID-9");
        assertThat(shell().status()).contains("session    none, next one authorized, tag RFID-9\n");

        charging.status = FakeChargingService.status(6_000, ChargerState.B1, 7, 0, "");
        assertThat(shell().status()).contains("session    #7, " + Format.kWh(1234) + ", not authorized\n")
                .doesNotContain("tag");
    }

    @Test
    void statusWithoutLinkSaysSo() {
        linkClient = false;
        assertThat(shell().status()).contains("no status from safety").contains("DISCONNECTED");
        charging.link = LinkState.DISCONNECTED;
        linkClient = true;
        assertThat(shell().status()).contains("no status from safety");
    }

    @Test
    void requestsReachTheServiceAndRefusalsShowTheirCode() {
        ShellCommands sh = shell();
        assertThat(sh.authorize("demo")).isEqualTo("ok: authorized 'demo'");
        assertThat(sh.stop()).startsWith("ok");
        assertThat(sh.clearlimit()).startsWith("ok");
        assertThat(sh.clearlimit("grid")).startsWith("ok");
        charging.reply = Reply.refused(ErrorCode.FAULT_LATCHED, "RCD_TRIP still present");
        assertThat(sh.reset()).isEqualTo("refused (FAULT_LATCHED): RCD_TRIP still present");

        assertThat(charging.requests()).containsExactly("authorize demo", StopReason.LOCAL, "clear shell", "clear grid", "reset");
    }

    @Test
    void limitTakesAmperesAndSecondsUnderTheShellsClaim() {
        ShellCommands sh = shell();
        assertThat(sh.limit("10.5", 60)).startsWith("ok: limit 10.5 A for 60 s");
        assertThat(sh.limit("16")).startsWith("ok: limit 16.0 A for 600 s");
        assertThat(charging.requests()).containsExactly(
                new LimitRequest("shell", 50, 10_500, Duration.ofSeconds(60)),
                new LimitRequest("shell", 50, 16_000, Duration.ofSeconds(600)));
    }

    @Test
    void badLimitsAreNotSent() {
        ShellCommands sh = shell();
        assertThat(sh.limit("ten")).contains("not a number");
        assertThat(sh.limit("80.5")).contains("outside 0..80 A");
        assertThat(sh.limit("-1")).contains("outside");
        assertThat(sh.limit("10", 0)).contains("time to live 0 s");
        assertThat(sh.limit("10", 3601)).contains("outside 1..3600 s");
        assertThat(sh.clearlimit("a b")).contains("not sent");
        assertThat(charging.requests()).isEmpty();
    }

    @Test
    void withoutTheLinkClientNothingIsSent() {
        linkClient = false;
        assertThat(shell().authorize("demo")).contains("no charging service");
    }

    @Test
    void sessionsListsTheRunningAndTheEnded() {
        SessionRecord ended = new SessionRecord(3, 0, 1_800_000, 7_250, 31_000, "", SessionRecord.FAULT, Set.of("RCD_TRIP"));
        SessionRecord running = new SessionRecord(4, 2_000_000, 2_060_000, 100, 6_000, "", "", Set.of());
        log = new SessionLog() {
            @Override
            public List<SessionRecord> recent(int max) {
                return List.of(ended).subList(0, Math.min(max, 1));
            }

            @Override
            public Optional<SessionRecord> open() {
                return Optional.of(running);
            }
        };

        List<String> lines = shell().sessions().lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("running  #4").contains(Format.kWh(running.energyWh()));
        assertThat(lines.get(1)).startsWith("ended    #3").contains("7.250 kWh", "30.0 min", "peak 31.0 A", "FAULT", "RCD_TRIP");
    }

    @Test
    void sessionsWithoutRecorderOrRecords() {
        assertThat(shell().sessions()).contains("session recorder not running");
        log = new SessionLog() {
            @Override
            public List<SessionRecord> recent(int max) {
                return List.of();
            }

            @Override
            public Optional<SessionRecord> open() {
                return Optional.empty();
            }
        };
        assertThat(shell().sessions()).isEqualTo("no ended sessions recorded");
        assertThat(shell().sessions(0)).contains("at least 1");
    }

    @Test
    void plugAndUnplugTalkToTheSimulator() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (FakeSimulator sim = new FakeSimulator(dir.resolve("sim.sock"), "{\"ok\":true}")) {
                ShellCommands sh = shell();
                assertThat(sh.plug("a20")).isEqualTo("ok: vehicle plugged in (cable A20)");
                assertThat(sh.plug()).isEqualTo("ok: vehicle plugged in (cable " + ShellCommands.DEFAULT_CABLE + ")");
                assertThat(sh.unplug()).isEqualTo("ok: vehicle unplugged");

                assertThat(sim.received).hasSize(3);
                Json.Obj first = Json.parseObject(sim.received.get(0));
                assertThat(first.string("cmd")).isEqualTo("plug");
                assertThat(first.string("cable")).isEqualTo("A20");
                assertThat(Json.parseObject(sim.received.get(2)).members()).containsOnlyKeys("cmd");
            }
        });
    }

    @Test
    void aSimulatorRefusalIsShown() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (FakeSimulator sim = new FakeSimulator(dir.resolve("sim.sock"), "{\"ok\":false,\"error\":\"already plugged\"}")) {
                assertThat(shell().plug()).isEqualTo("simulator refused: already plugged");
                assertThat(sim.received).hasSize(1);
            }
        });
    }

    @Test
    void withoutASimulatorSocketThereIsNoSimulatedBoard() {
        assertThat(shell().plug()).isEqualTo("no simulated board on this device");
        assertThat(shell().unplug()).isEqualTo("no simulated board on this device");
        assertThat(shell().plug("A32; rm")).contains("not a cable rating");
    }

    @Test
    void aSilentSimulatorTimesOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            FakeSimulator sim = new FakeSimulator(dir.resolve("sim.sock"), null);
            try (sim) {
                assertThat(shell(Duration.ofMillis(200)).unplug()).contains("did not answer within 200 ms");
            }
            // closed and joined: whatever it received is in the list now
            assertThat(sim.received).containsExactly("{\"cmd\":\"unplug\"}");
        });
    }

    @Test
    void aDeadSimulatorSocketIsReported() throws Exception {
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("sim.sock")));
        }
        assertThat(shell().plug()).contains("does not accept connections");
    }
}
