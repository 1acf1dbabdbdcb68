package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.json.UpdateStatusJson;

/** {@code voltkeep update} against a control socket that answers as the update agent would. */
@Timeout(60)
class UpdateCommandTest {
    private static final Instant T0 = Instant.parse("2026-08-01T10:00:00Z");

    @TempDir
    Path dir;
    private Path device;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void device() throws Exception {
        device = dir.resolve("dev");
        Files.createDirectories(device.resolve("run"));
        Files.writeString(device.resolve("boot-state"), "format=1\nprimary=a\n");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Path socket() {
        return device.resolve("run/app.sock");
    }

    private int run(boolean terminal, String... args) throws Exception {
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        return new UpdateCommand(out, err, terminal).run(List.of(args));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static UpdateStatus status(FirmwareStatus s, String phase, long done, long total, String reason) {
        UpdateStatus u = UpdateStatus.begin("req-9", UpdateRequest.of("/images/new.vkimg", false), T0);
        if (s.ordinal() >= FirmwareStatus.SignatureVerified.ordinal()) {
            u = u.withInstalled("b", "2.0.0", 2, T0);
        }
        return u.withProgress(phase, done, total, T0).withStatus(s, reason, T0.plusSeconds(1));
    }

    private FakeAppSocket serve(List<UpdateStatus> statuses, int closeAfter) throws Exception {
        Json.Obj install = Json.object().put("ok", true).put("update", UpdateStatusJson.write(statuses.get(0)));
        FakeAppSocket s = new FakeAppSocket(socket(), install, statuses, closeAfter);
        toClose.add(s);
        return s;
    }

    private static final List<UpdateStatus> TO_SCHEDULED = List.of(
            status(FirmwareStatus.Downloading, "download", 0, -1, ""),
            status(FirmwareStatus.Downloading, "download", 500_000, 1_000_000, ""),
            status(FirmwareStatus.Downloaded, "verifying", 1_000_000, 1_000_000, ""),
            status(FirmwareStatus.SignatureVerified, "verifying", 1_000_000, 1_000_000, "image 2.0.0 verified"),
            status(FirmwareStatus.InstallScheduled, "verifying", 1_000_000, 1_000_000,
                    "session 3 running: activates when the car is unplugged"));

    @Test
    void aScheduledUpdateEndsTheCommandWithSuccessAndSaysWhatHappensNext() throws Exception {
        FakeAppSocket app = serve(TO_SCHEDULED, -1);
        int code = run(false, "install", "--device", device.toString(), "/images/new.vkimg");
        assertThat(code).as(err()).isZero();
        assertThat(app.requests.get(0).write())
                .isEqualTo("{\"cmd\":\"update-install\",\"source\":\"/images/new.vkimg\",\"force\":false}");
        assertThat(out()).contains("update req-9 started from /images/new.vkimg\n", "Downloading\n", "  download 50% (0.5 MB of 1.0 MB)\n",
                "SignatureVerified: image 2.0.0 verified\n",
                "scheduled: session 3 running: activates when the car is unplugged; the charger activates image 2.0.0 by itself");
        assertThat(out()).doesNotContain("\r");
    }

    @Test
    void aRelativeFileIsSentAsAnAbsolutePathAndForceGoesAlong() throws Exception {
        FakeAppSocket app = serve(TO_SCHEDULED, -1);
        run(false, "install", "--device", device.toString(), "--force", "rel/new.vkimg");
        assertThat(app.requests.get(0).string("source")).isEqualTo(Path.of("rel/new.vkimg").toAbsolutePath().toString());
        assertThat(app.requests.get(0).bool("force")).isTrue();
        assertThat(UpdateCommand.source("https://example.org/a.vkimg")).isEqualTo("https://example.org/a.vkimg");
    }

    @Test
    void aFailureEndsWithItsStatusAndReason() throws Exception {
        serve(List.of(status(FirmwareStatus.Downloading, "download", 0, -1, ""),
                status(FirmwareStatus.InvalidSignature, "verifying", 10, 10, "manifest signature does not verify")), -1);
        int code = run(false, "install", "--device", device.toString(), "/images/new.vkimg");
        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("voltkeep update: update failed: InvalidSignature: manifest signature does not verify");
    }

    @Test
    void aRefusalIsReportedAndNothingIsFollowed() throws Exception {
        FakeAppSocket app = new FakeAppSocket(socket(), Json.object().put("ok", false).put("code", "NOT_ALLOWED")
                .put("error", "update req-1 from /x is under way (Downloading)"), List.of(), -1);
        toClose.add(app);
        assertThat(run(false, "install", "--device", device.toString(), "/images/new.vkimg")).isEqualTo(1);
        assertThat(err()).contains("not started: update req-1 from /x is under way (Downloading)");
        assertThat(app.requests).hasSize(1);
    }

    @Test
    void theCommandFollowsTheUpdateThroughTheRestartToInstalled() throws Exception {
        serve(List.of(status(FirmwareStatus.Downloading, "download", 0, -1, ""),
                status(FirmwareStatus.Installing, "verifying", 1, 1, "no vehicle connected"),
                status(FirmwareStatus.InstallRebooting, "verifying", 1, 1, "the launcher activates slot b")), 3);
        Thread restart = new Thread(() -> {
            try {
                while (Files.exists(socket())) {
                    Thread.sleep(10);
                }
                Thread.sleep(300);
                FakeAppSocket starting = serve(List.of(status(FirmwareStatus.InstallRebooting, "verifying", 1, 1, "slot b runs on trial"),
                        status(FirmwareStatus.Installed, "verifying", 1, 1, "slot b committed: image 2.0.0 runs")), -1);
                starting.agentMissing = 3;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restart.start();
        int code = run(false, "install", "--device", device.toString(), "/images/new.vkimg");
        restart.join();
        assertThat(code).as(out() + err()).isZero();
        assertThat(out()).contains("the charger restarts into slot b on trial; waiting for it to come back",
                "InstallRebooting: slot b runs on trial", "installed: image 2.0.0 runs from slot b and was committed");
    }

    @Test
    void jsonModePrintsOneStatusPerLineAndAResult() throws Exception {
        serve(TO_SCHEDULED, -1);
        assertThat(run(false, "install", "--device", device.toString(), "--json", "/images/new.vkimg")).isZero();
        List<String> lines = out().lines().toList();
        List<FirmwareStatus> seen = new ArrayList<>();
        for (String l : lines.subList(0, lines.size() - 1)) {
            seen.add(UpdateStatusJson.read(Json.parseObject(l)).status());
        }
        assertThat(seen).startsWith(FirmwareStatus.Downloading).contains(FirmwareStatus.Downloaded)
                .endsWith(FirmwareStatus.InstallScheduled);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"ok\":true,\"status\":\"InstallScheduled\"}");
    }

    @Test
    void onATerminalTheProgressIsOneBar() throws Exception {
        serve(TO_SCHEDULED, -1);
        run(true, "install", "--device", device.toString(), "/images/new.vkimg");
        assertThat(out()).contains("\r  download    [###############---------------]  50%  0.5 MB of 1.0 MB");
    }

    @Test
    void theTimeoutEndsFollowingButNotTheUpdate() throws Exception {
        serve(List.of(status(FirmwareStatus.Downloading, "download", 10, 1_000_000, "")), -1);
        assertThat(run(false, "install", "--device", device.toString(), "--timeout", "1", "/images/new.vkimg")).isEqualTo(1);
        assertThat(err()).contains("still Downloading after 1 s; the update goes on on the charger: voltkeep update status");
    }

    @Test
    void aStoppedDeviceIsNamedAsSuch() throws Exception {
        assertThat(run(false, "install", "--device", device.toString(), "https://updates.example/new.vkimg")).isEqualTo(1);
        assertThat(err()).contains("the device at " + device + " is not running")
                .contains("a stopped device takes a FILE, not a URL");
        assertThat(run(false, "status", "--device", device.toString())).isEqualTo(1);
    }

    @Test
    void statusPrintsTheUpdate() throws Exception {
        serve(List.of(TO_SCHEDULED.get(4)), -1);
        assertThat(run(false, "status", "--device", device.toString())).isZero();
        assertThat(out()).contains("update req-9: InstallScheduled", "image    2.0.0 (security version 2) in slot b",
                "reason   session 3 running: activates when the car is unplugged");
        outBytes.reset();
        assertThat(run(false, "status", "--device", device.toString(), "--json")).isZero();
        Json.Obj o = Json.parseObject(out());
        assertThat(o.bool("running")).isTrue();
        assertThat(UpdateStatusJson.read(o.obj("update"))).isEqualTo(TO_SCHEDULED.get(4));
    }

    @Test
    void aDeviceWithoutUpdatesSaysSo() throws Exception {
        FakeAppSocket app = new FakeAppSocket(socket(), Json.object().put("ok", true), List.of(), -1);
        toClose.add(app);
        assertThat(run(false, "status", "--device", device.toString())).isZero();
        assertThat(out()).isEqualTo("no update on this device yet\n");
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertThatThrownBy(() -> run(false)).isInstanceOf(UsageException.class).hasMessageContaining("install or status?");
        assertThatThrownBy(() -> run(false, "apply")).hasMessageContaining("unknown sub-command 'apply'");
        assertThatThrownBy(() -> run(false, "install", "--device", device.toString()))
                .hasMessageContaining("give exactly one FILE or https:// URL");
        assertThatThrownBy(() -> run(false, "install", "--device", device.toString(), "a", "b")).hasMessageContaining("(found 2)");
        assertThatThrownBy(() -> run(false, "install", "/a.vkimg")).hasMessageContaining("--device DIR is required");
        assertThatThrownBy(() -> run(false, "install", "--device", dir.resolve("none").toString(), "/a.vkimg"))
                .hasMessageContaining("no device at");
        assertThatThrownBy(() -> run(false, "status", "--device", device.toString(), "--force"))
                .hasMessageContaining("unknown option --force");
    }
}
