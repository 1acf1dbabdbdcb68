package org.voltkeep.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.UpdateSource;
import org.voltkeep.update.UpdateStatus;

class UpdateShellCommandsTest {
    private final Recording agent = new Recording();
    private boolean agentPresent = true;
    private final ShellCommands shell = new ShellCommands(() -> null, () -> null, () -> agentPresent ? agent : null,
            new Settings(Path.of("/tmp/none/sim.sock"), "shell", 50, Duration.ofSeconds(60), Duration.ofSeconds(1)));

    /** An update service whose answers the test sets; records what it was asked. */
    private static final class Recording implements UpdateService {
        final List<UpdateRequest> started = new ArrayList<>();
        UpdateStatus status;
        UpdateException refusal;
        BootSlots slots;

        @Override
        public UpdateStatus start(UpdateRequest request) throws UpdateException {
            if (refusal != null) {
                throw refusal;
            }
            started.add(request);
            status = UpdateStatus.begin("req-1", request, Instant.parse("2026-07-01T12:00:00Z"));
            return status;
        }

        @Override
        public Optional<UpdateStatus> status() {
            return Optional.ofNullable(status);
        }

        @Override
        public BootSlots slots() throws UpdateException {
            if (slots == null) {
                throw new UpdateException("the launcher's boot socket /run/boot.sock is not there");
            }
            return slots;
        }
    }

    @Test
    void installStartsTheUpdateAndSaysHowToFollowIt() {
        String out = shell.update("install", "/var/tmp/new.vkimg");
        assertThat(agent.started).containsExactly(new UpdateRequest(new UpdateSource.LocalFile(Path.of("/var/tmp/new.vkimg")), false));
        assertThat(out).startsWith("update req-1 started; follow it with: update status\n")
                .contains("update     Downloading  id req-1").contains("source     /var/tmp/new.vkimg");

        String forced = shell.update("install", "https://example.org/2.vkimg", "--force");
        assertThat(forced).contains("forced: a running session is stopped first");
        assertThat(agent.started.get(1).force()).isTrue();
    }

    @Test
    void badArgumentsStartNothing() {
        assertThat(shell.update("install", "new.vkimg")).startsWith("not started: source 'new.vkimg': a file path must be absolute");
        assertThat(shell.update("install", "/a.vkimg", "-f")).isEqualTo("unknown option '-f'; " + ShellCommands.UPDATE_USAGE);
        assertThat(shell.update("instal", "/a.vkimg")).isEqualTo(ShellCommands.UPDATE_USAGE);
        assertThat(shell.update("go")).isEqualTo(ShellCommands.UPDATE_USAGE);
        assertThat(agent.started).isEmpty();
        agent.refusal = new UpdateException("update r0 from /x is under way (Downloading)");
        assertThat(shell.update("install", "/a.vkimg")).isEqualTo("not started: update r0 from /x is under way (Downloading)");
        agentPresent = false;
        assertThat(shell.update("install", "/a.vkimg")).isEqualTo("not started: no update agent in this domain");
        assertThat(shell.update("status")).isEqualTo("no update agent in this domain");
    }

    @Test
    void statusShowsWhereTheUpdateIsAndWhy() {
        assertThat(shell.update("status")).isEqualTo("no update on this device yet");
        Instant t = Instant.parse("2026-07-01T12:00:00Z");
        agent.status = new UpdateStatus("req-2", FirmwareStatus.InstallScheduled, "/var/tmp/new.vkimg", false, "2.0.0", 2, "b",
                "verifying", 5_000_000, 10_000_000, "session 3 running: activates when the car is unplugged", t, t.plusSeconds(9));
        String out = shell.update("status");
        assertThat(out.lines()).containsExactly(
                "update     InstallScheduled  id req-2",
                "source     /var/tmp/new.vkimg",
                "image      2.0.0 (security version 2) in slot b",
                "progress   verifying 50% (5.0 MB of 10.0 MB)",
                "reason     session 3 running: activates when the car is unplugged",
                "started    2026-07-01T12:00:00Z, last change 2026-07-01T12:00:09Z");
    }

    @Test
    void slotsShowsTheLaunchersView() {
        assertThat(shell.slots()).isEqualTo("cannot read the slots: the launcher's boot socket /run/boot.sock is not there");
        agent.slots = new BootSlots("a", "a", 1, Optional.of(new BootSlots.Trial("b", 2)), List.of(
                new BootSlots.Slot("a", BootSlots.SlotState.good, "1.0.0", 1, "5069610d80545983aabbccdd", ""),
                new BootSlots.Slot("b", BootSlots.SlotState.bad, "2.0.0", 2, "", "health check failed: link down")));
        assertThat(shell.slots().lines()).containsExactly(
                "booted a, primary a, anti-rollback floor 1, trial slot b (2 boot attempts left)",
                "slot a  good   1.0.0 (security version 1)  manifest 5069610d80545983",
                "slot b  bad    2.0.0 (security version 2)  health check failed: link down");
    }
}
