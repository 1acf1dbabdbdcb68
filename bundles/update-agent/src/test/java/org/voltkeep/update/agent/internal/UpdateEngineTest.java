package org.voltkeep.update.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.charging.testing.FakeChargingService;
import org.voltkeep.json.Json;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateStatus;

/**
 * The agent's machine end to end, against a real Unix socket that answers as the
 * launcher does, a charging service whose statuses the test sets, real files and
 * a real HTTPS server. Each test names the rows of {@link UpdateTable} it walks.
 */
@Timeout(60)
class UpdateEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private FakeBootServer boot;
    /** Stops and boot socket requests in the order they happened. */
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final FakeChargingService charging = new FakeChargingService() {
        @Override
        public synchronized Reply stop(StopReason reason) {
            order.add("stop " + reason);
            return super.stop(reason);
        }
    };
    private boolean linkClient = true;
    private final List<UpdateStatus> told = new CopyOnWriteArrayList<>();
    private final List<UpdateEngine> engines = new ArrayList<>();
    private TestSettings settings;
    private Path image;
    private byte[] imageBytes;

    @BeforeEach
    void setUp() throws Exception {
        boot = new FakeBootServer(dir.resolve("boot.sock"));
        boot.onRequest = r -> {
            order.add("boot " + r.string("cmd"));
            return null;
        };
        settings = new TestSettings(dir.resolve("data/updates"), boot.path);
        imageBytes = new byte[200_000];
        new Random(3).nextBytes(imageBytes);
        image = Files.write(dir.resolve("new.vkimg"), imageBytes);
        idle(1_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (UpdateEngine e : engines) {
            e.close();
        }
        boot.close();
    }

    private UpdateEngine engine() {
        UpdateEngine e = new UpdateEngine(settings.build(), () -> linkClient ? charging : null, told::add, Clock.systemUTC());
        engines.add(e);
        e.open();
        return e;
    }

    private void idle(long boardMillis) {
        charging.status = FakeChargingService.status(boardMillis, ChargerState.A, 0, 0);
    }

    private void charging(long boardMillis, long session) {
        charging.status = FakeChargingService.status(boardMillis, ChargerState.C2, session, 16_000);
    }

    /** Plugged in, session stopped, contactor open. */
    private void stopped(long boardMillis, long session) {
        ChargerStatus s = FakeChargingService.status(boardMillis, ChargerState.B1, session, 0);
        charging.status = new ChargerStatus(s.boardMillis(), s.state(), s.pwmPermille(), false, false, s.authorized(), s.idTag(),
                s.sessionId(), s.sessionStartMillis(), s.sessionEnergyWh(), s.meterEnergyWh(), 0, 0, s.limitMilliamps(),
                s.limitSource(), s.cableMilliamps(), s.temperatureDeciC(), s.activeFaults(), s.link(), s.fallback(), true,
                s.selfTestPassed());
    }

    private static UpdateStatus await(UpdateEngine e, Predicate<UpdateStatus> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<UpdateStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = e.status();
            if (last.isPresent() && p.test(last.get())) {
                return last.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + last);
    }

    /** The status is reached, and the listeners were told. */
    private UpdateStatus await(UpdateEngine e, FirmwareStatus s) throws InterruptedException {
        UpdateStatus reached = await(e, u -> u.status() == s, s.name());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (told.stream().noneMatch(t -> t.status() == s && t.requestId().equals(reached.requestId()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("listeners never told of " + s);
            }
            Thread.sleep(5);
        }
        return reached;
    }

    /** Stays as it is for a while: nothing moves on by itself. */
    private static void holds(UpdateEngine e, FirmwareStatus s) throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            assertThat(e.status().map(UpdateStatus::status)).contains(s);
            Thread.sleep(10);
        }
    }

    private Json.Obj savedState() throws Exception {
        return Json.parseObject(Files.readString(settings.downloadDir.resolve(StateFile.NAME)));
    }

    private List<FirmwareStatus> toldStatuses() {
        List<FirmwareStatus> r = new ArrayList<>();
        for (UpdateStatus s : told) {
            if (r.isEmpty() || r.get(r.size() - 1) != s.status()) {
                r.add(s.status());
            }
        }
        return r;
    }

    // Downloading -DOWNLOADED-> Downloaded -INSTALLED-> SignatureVerified -CHARGER_IDLE-> Installing -ACTIVATED-> InstallRebooting
    @Test
    void anIdleChargerTakesAFileUpdateAllTheWayToTheReboot() throws Exception {
        UpdateEngine e = engine();
        UpdateStatus first = e.start(UpdateRequest.of(image.toString(), false));
        assertThat(first.status()).isEqualTo(FirmwareStatus.Downloading);

        UpdateStatus end = await(e, FirmwareStatus.InstallRebooting);

        assertThat(boot.commands()).startsWith("install", "slots", "activate").containsOnlyOnce("install", "activate");
        assertThat(boot.installedBytes.get(0)).as("the launcher got exactly the image").isEqualTo(imageBytes);
        assertThat(boot.requests.get(0).string("file")).isEqualTo(settings.downloadDir.resolve(UpdateEngine.IMAGE).toString());
        assertThat(end.slot()).isEqualTo("b");
        assertThat(end.version()).isEqualTo("2.0.0");
        assertThat(end.securityVersion()).isEqualTo(2);
        assertThat(end.requestId()).isEqualTo(first.requestId());
        // the engine goes on waiting for the restart (and may reword the reason) as soon as it told this
        assertThat(told).anyMatch(s -> s.status() == FirmwareStatus.InstallRebooting && s.reason().contains("restarts into it on trial"));
        assertThat(toldStatuses()).containsExactly(FirmwareStatus.Downloading, FirmwareStatus.Downloaded,
                FirmwareStatus.SignatureVerified, FirmwareStatus.Installing, FirmwareStatus.InstallRebooting);
        assertThat(told).anyMatch(s -> s.phase().equals("download") && s.bytesDone() == imageBytes.length
                && s.bytesTotal() == imageBytes.length);
        assertThat(told).anyMatch(s -> s.phase().equals("verifying"));
        assertThat(savedState().obj("update").string("status")).isEqualTo("InstallRebooting");
        assertThat(settings.downloadDir.resolve(UpdateEngine.IMAGE)).as("the slot holds it now").doesNotExist();
        assertThat(charging.requests()).as("nothing asked of safety").isEmpty();
    }

    @Test
    void aMissingOrOversizedFileIsRefusedAndChangesNothing() throws Exception {
        UpdateEngine e = engine();
        assertThatThrownBy(() -> e.start(UpdateRequest.of(dir.resolve("nope.vkimg").toString(), false)))
                .isInstanceOf(UpdateException.class).hasMessage("image file " + dir.resolve("nope.vkimg") + " does not exist");
        settings.maxImageBytes = 1000;
        UpdateEngine small = engine();
        assertThatThrownBy(() -> small.start(UpdateRequest.of(image.toString(), false)))
                .hasMessage("image file " + image + " is " + imageBytes.length + " bytes, more than the maximum of 1000");
        assertThat(e.status()).isEmpty();
        assertThat(settings.downloadDir.resolve(StateFile.NAME)).doesNotExist();
        assertThat(boot.requests).isEmpty();
    }

    // Downloaded -INVALID_SIGNATURE-> InvalidSignature, -VERIFICATION_FAILED-> InstallVerificationFailed, -INSTALL_FAILED-> InstallationFailed
    @Test
    void theLaunchersRefusalEndsTheUpdateWithItsStatusAndReason() throws Exception {
        for (FirmwareStatus refusal : new FirmwareStatus[] {FirmwareStatus.InvalidSignature,
                FirmwareStatus.InstallVerificationFailed, FirmwareStatus.InstallationFailed}) {
            boot.installAnswer = List.of(Json.object().put("ok", false).put("status", refusal.name())
                    .put("error", "entry org/x/Y.class of bundle org.voltkeep.x is not signed"));
            UpdateEngine e = engine();
            e.start(UpdateRequest.of(image.toString(), false));
            UpdateStatus end = await(e, u -> u.status().terminal(), "the end");
            assertThat(end.status()).isEqualTo(refusal);
            assertThat(end.reason()).isEqualTo("entry org/x/Y.class of bundle org.voltkeep.x is not signed");
            assertThat(settings.downloadDir.resolve(UpdateEngine.IMAGE)).doesNotExist();
            e.close();
        }
        assertThat(boot.commands()).doesNotContain("activate");
    }

    @Test
    void withoutABootSocketTheInstallFailsAndSaysWhy() throws Exception {
        boot.close();
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus end = await(e, FirmwareStatus.InstallationFailed);
        assertThat(end.reason()).contains("boot socket " + boot.path + " is not there");
    }

    // SignatureVerified -CHARGER_BUSY-> InstallScheduled -CHARGER_BUSY-> InstallScheduled -CHARGER_IDLE-> Installing
    @Test
    void duringASessionTheUpdateWaitsAndActivatesWhenTheCarIsUnplugged() throws Exception {
        charging(5_000, 7);
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus scheduled = await(e, FirmwareStatus.InstallScheduled);
        assertThat(scheduled.reason()).isEqualTo("session 7 running: activates when the car is unplugged");
        holds(e, FirmwareStatus.InstallScheduled);

        stopped(9_000, 7);
        await(e, u -> u.reason().equals("session 7 running: activates when the car is unplugged"), "the same reason");
        holds(e, FirmwareStatus.InstallScheduled);
        assertThat(boot.commands()).containsExactly("install");
        assertThat(charging.requests()).as("an update never stops a session by itself").isEmpty();

        idle(12_000);
        await(e, FirmwareStatus.InstallRebooting);
        assertThat(boot.commands()).startsWith("install", "slots", "activate").containsOnlyOnce("install", "activate");
        assertThat(toldStatuses()).containsSubsequence(FirmwareStatus.SignatureVerified, FirmwareStatus.InstallScheduled,
                FirmwareStatus.Installing, FirmwareStatus.InstallRebooting);
    }

    @Test
    void withoutStatusFromSafetyAnUnforcedUpdateWaits() throws Exception {
        linkClient = false;
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus s = await(e, FirmwareStatus.InstallScheduled);
        assertThat(s.reason()).startsWith("no status from safety");
        holds(e, FirmwareStatus.InstallScheduled);
        linkClient = true;
        await(e, FirmwareStatus.InstallRebooting);
    }

    // SignatureVerified -CHARGER_IDLE-> Installing while the recovery image runs (slot r)
    @Test
    void underTheRecoveryImageACarInStateFDoesNotHoldTheUpdateBack() throws Exception {
        // the recovery image's safety hold: pilot at state F, no session, contactor open, a car plugged in
        charging.status = FakeChargingService.status(3_000, ChargerState.F, 0, 0);
        UpdateEngine product = engine();
        product.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus waiting = await(product, FirmwareStatus.InstallScheduled);
        assertThat(waiting.reason()).as("under a product image state F is a car there").contains("state F");
        holds(product, FirmwareStatus.InstallScheduled);
        product.close();

        // slot a failed at boot, b holds the installed image: the launcher booted r
        boot.slots = FakeBootServer.slots("r", "a", null, "trial", "2.0.0", "installed; waiting for activation");
        UpdateEngine recovery = engine();
        UpdateStatus rebooting = await(recovery, FirmwareStatus.InstallRebooting);
        assertThat(told).anyMatch(t -> t.status() == FirmwareStatus.Installing
                && t.reason().equals("the recovery image runs (slot r): no session can start, the contactor is held open"));
        assertThat(rebooting.requestId()).isEqualTo(waiting.requestId());
        assertThat(charging.requests()).as("nothing to stop under the recovery image").isEmpty();
        assertThat(boot.commands()).containsOnlyOnce("install", "activate");
    }

    // SignatureVerified -SESSION_STOPPING-> InstallScheduled -CONTACTOR_OPEN-> Installing
    @Test
    void aForcedUpdateStopsTheSessionAndActivatesOnlyOnceTheContactorIsOpen() throws Exception {
        charging(5_000, 8);
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), true));
        UpdateStatus stopping = await(e, FirmwareStatus.InstallScheduled);
        assertThat(stopping.forced()).isTrue();
        assertThat(stopping.reason()).startsWith("forced: stopping session 8");
        assertThat(charging.requests()).containsExactly(StopReason.OTHER);

        // safety took the stop, the contactor is still closed: no activation yet
        charging(6_000, 8);
        holds(e, FirmwareStatus.InstallScheduled);
        assertThat(boot.commands()).containsExactly("install");

        stopped(7_000, 8);
        UpdateStatus end = await(e, FirmwareStatus.InstallRebooting);
        assertThat(order).containsSubsequence("boot install", "stop OTHER", "boot activate");
        assertThat(told).anyMatch(s -> s.status() == FirmwareStatus.Installing
                && s.reason().equals("forced: session 8 stopped, safety reports the contactor open"));
        assertThat(end.forced()).isTrue();
    }

    // InstallScheduled -STOP_TIMED_OUT-> InstallationFailed
    @Test
    void aContactorThatDoesNotOpenAfterTheStopFailsTheUpdateWithoutActivating() throws Exception {
        settings.stopTimeout = Duration.ofMillis(400);
        charging(5_000, 9);
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), true));
        await(e, FirmwareStatus.InstallScheduled);
        charging(6_000, 9);
        UpdateStatus end = await(e, FirmwareStatus.InstallationFailed);
        assertThat(end.reason()).contains("the contactor did not open within 400 ms after the stop (commanded closed, feedback closed)");
        assertThat(boot.commands()).doesNotContain("activate");
    }

    // InstallScheduled -SESSION_STOPPING-> InstallScheduled: forcing the update that waits
    @Test
    void requestingTheWaitingUpdateAgainWithForceStopsTheSession() throws Exception {
        charging(5_000, 10);
        UpdateEngine e = engine();
        UpdateStatus first = e.start(UpdateRequest.of(image.toString(), false));
        await(e, u -> u.status() == FirmwareStatus.InstallScheduled && u.reason().startsWith("session 10"), "waiting");

        assertThatThrownBy(() -> e.start(UpdateRequest.of(image.toString(), false))).isInstanceOf(UpdateException.class)
                .hasMessageContaining("is under way (InstallScheduled)").hasMessageContaining("request it again with force");
        assertThatThrownBy(() -> e.start(UpdateRequest.of(dir.resolve("other.vkimg").toString(), true)))
                .hasMessageContaining("update " + first.requestId() + " from " + image + " is under way");

        UpdateStatus forced = e.start(UpdateRequest.of(image.toString(), true));
        assertThat(forced.requestId()).isEqualTo(first.requestId());
        assertThat(forced.forced()).isTrue();
        await(e, u -> u.reason().startsWith("forced: stopping session 10"), "stopping");
        stopped(8_000, 10);
        await(e, FirmwareStatus.InstallRebooting);
        assertThat(order).containsSubsequence("stop OTHER", "boot activate");
    }

    // SignatureVerified -FORCED_WITHOUT_STATUS-> Installing
    @Test
    void aForcedUpdateWithoutStatusFromSafetyLeavesTheContactorToTheLaunchersShutdown() throws Exception {
        linkClient = false;
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), true));
        await(e, FirmwareStatus.InstallRebooting);
        assertThat(told).anyMatch(s -> s.status() == FirmwareStatus.Installing
                && s.reason().contains("the launcher stops safety first, which opens the contactor"));
    }

    // Installing -ACTIVATE_FAILED-> InstallationFailed
    @Test
    void aRefusedActivationFails() throws Exception {
        boot.activateAnswer = Json.object().put("ok", false).put("error", "slot b is not installed");
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus end = await(e, FirmwareStatus.InstallationFailed);
        assertThat(end.reason()).isEqualTo("the launcher refused activate: slot b is not installed");
    }

    // InstallRebooting -REBOOT_TIMED_OUT-> InstallationFailed
    @Test
    void aLauncherThatNeverRestartsFailsTheUpdateAfterTheTimeout() throws Exception {
        settings.rebootTimeout = Duration.ofMillis(500);
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        UpdateStatus end = await(e, FirmwareStatus.InstallationFailed);
        assertThat(end.reason()).isEqualTo("the launcher accepted the activation of slot b but did not restart within 500 ms");
    }

    /** Runs an update to InstallRebooting and closes its engine, as when the launcher stops the domain. */
    private void rebootInto() throws Exception {
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        await(e, FirmwareStatus.InstallRebooting);
        e.close();
    }

    // InstallRebooting -AWAITING_COMMIT-> InstallRebooting -COMMITTED-> Installed
    @Test
    void afterTheRebootTheNewAgentReportsTheTrialThenInstalled() throws Exception {
        rebootInto();
        boot.slots = FakeBootServer.slots("b", "a", FakeBootServer.trial("b", 2), "trial", "2.0.0", "");
        told.clear();

        UpdateEngine after = engine();
        UpdateStatus trial = await(after, u -> u.reason().contains("runs on trial"), "the trial");
        assertThat(trial.status()).isEqualTo(FirmwareStatus.InstallRebooting);
        assertThat(trial.reason()).isEqualTo("slot b runs on trial (2 boot attempts left): the launcher commits it when the"
                + " health check passes");
        holds(after, FirmwareStatus.InstallRebooting);

        boot.slots = FakeBootServer.slots("b", "b", null, "good", "2.0.0", "");
        UpdateStatus done = await(after, FirmwareStatus.Installed);
        assertThat(done.reason()).isEqualTo("slot b committed: image 2.0.0 runs");
        assertThat(savedState().obj("update").string("status")).isEqualTo("Installed");
        assertThat(boot.commands()).as("no second activation").containsOnlyOnce("activate");
    }

    // InstallRebooting -ROLLED_BACK-> InstallVerificationFailed
    @Test
    void afterARollbackTheAgentReportsTheLaunchersReason() throws Exception {
        rebootInto();
        boot.slots = FakeBootServer.slots("a", "a", null, "bad", "2.0.0", "health check failed: link down");

        UpdateEngine after = engine();
        UpdateStatus end = await(after, FirmwareStatus.InstallVerificationFailed);
        assertThat(end.reason()).isEqualTo("slot b failed its trial boot; the launcher went back to slot a: health check failed: link down");
        assertThat(end.slot()).isEqualTo("b");
    }

    // Installing -ACTIVATED-> InstallRebooting after a restart that came between the activation and its answer
    @Test
    void aRestartInInstallingDoesNotActivateTwice() throws Exception {
        rebootInto();
        // as if the domain stopped right after the launcher took the activation, before the agent saved it
        Json.Obj st = savedState();
        st.obj("update").put("status", "Installing");
        Files.writeString(settings.downloadDir.resolve(StateFile.NAME), st.write());
        boot.slots = FakeBootServer.slots("b", "a", FakeBootServer.trial("b", 3), "trial", "2.0.0", "");

        UpdateEngine after = engine();
        await(after, u -> u.status() == FirmwareStatus.InstallRebooting && u.reason().contains("runs on trial"), "the trial");
        assertThat(boot.commands()).containsOnlyOnce("activate");
    }

    // Installing -ROLLED_BACK-> InstallVerificationFailed
    @Test
    void aRestartInInstallingAfterARollbackReportsIt() throws Exception {
        rebootInto();
        Json.Obj st = savedState();
        st.obj("update").put("status", "Installing");
        Files.writeString(settings.downloadDir.resolve(StateFile.NAME), st.write());
        boot.slots = FakeBootServer.slots("a", "a", null, "bad", "2.0.0", "bundle org.voltkeep.x failed to start");

        UpdateEngine after = engine();
        UpdateStatus end = await(after, FirmwareStatus.InstallVerificationFailed);
        assertThat(end.reason()).isEqualTo("slot b is marked bad by the launcher: bundle org.voltkeep.x failed to start");
    }

    @Test
    void aRestartInTheMiddleOfAWaitGoesOnWaiting() throws Exception {
        charging(5_000, 11);
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), false));
        await(e, FirmwareStatus.InstallScheduled);
        e.close();

        UpdateEngine after = engine();
        assertThat(after.status().map(UpdateStatus::status)).contains(FirmwareStatus.InstallScheduled);
        holds(after, FirmwareStatus.InstallScheduled);
        idle(20_000);
        await(after, FirmwareStatus.InstallRebooting);
        assertThat(boot.commands()).containsOnlyOnce("install");
    }

    @Test
    void aNewUpdateMayStartOnceTheLastOneEnded() throws Exception {
        List<Json.Obj> accepting = boot.installAnswer;
        boot.installAnswer = List.of(Json.object().put("ok", false).put("status", "InvalidSignature").put("error", "bad"));
        UpdateEngine e = engine();
        UpdateStatus first = e.start(UpdateRequest.of(image.toString(), false));
        await(e, FirmwareStatus.InvalidSignature);
        boot.installAnswer = accepting;
        UpdateStatus second = e.start(UpdateRequest.of(image.toString(), false));
        assertThat(second.requestId()).isNotEqualTo(first.requestId());
        await(e, FirmwareStatus.InstallRebooting);
    }

    @Test
    void aDamagedStateFileIsSetAsideAndTheAgentStarts() throws Exception {
        Files.createDirectories(settings.downloadDir);
        Files.writeString(settings.downloadDir.resolve(StateFile.NAME), "{\"schemaVersion\":1,\"update\":{\"status\":");
        UpdateEngine e = engine();
        assertThat(e.status()).isEmpty();
        e.start(UpdateRequest.of(image.toString(), false));
        await(e, FirmwareStatus.InstallRebooting);
    }

    @Test
    void aSafetyRefusalOfTheStopIsAskedAgain() throws Exception {
        charging(5_000, 12);
        charging.reply = Reply.refused(ErrorCode.RATE_LIMITED, "too many requests");
        UpdateEngine e = engine();
        e.start(UpdateRequest.of(image.toString(), true));
        await(e, u -> u.reason().contains("the stop was refused: RATE_LIMITED: too many requests"), "the refusal");
        charging.reply = Reply.OK;
        charging(6_000, 12);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (charging.requests().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(charging.requests()).hasSizeGreaterThanOrEqualTo(2);
        stopped(7_000, 12);
        await(e, FirmwareStatus.InstallRebooting);
    }

    @Test
    void anHttpsUpdateDownloadsResumesAcrossARestartAndInstalls() throws Exception {
        byte[] big = new byte[400_000];
        new Random(5).nextBytes(big);
        try (TestHttpsServer server = new TestHttpsServer(big)) {
            settings.anchors = Optional.of(TestHttpsServer.anchorsPem());
            settings.readTimeout = Duration.ofSeconds(30);
            server.stallAfter = 150_000;
            server.stallTimes.set(1);
            UpdateEngine e = engine();
            e.start(UpdateRequest.of(server.uri().toString(), false));
            await(e, u -> u.bytesDone() >= 150_000, "the first part");
            e.close();
            assertThat(settings.downloadDir.resolve(UpdateEngine.PARTIAL)).exists();

            UpdateEngine after = engine();
            await(after, FirmwareStatus.InstallRebooting);
            assertThat(boot.installedBytes.get(0)).isEqualTo(big);
            assertThat(server.seen).hasSize(2);
            assertThat(server.seen.get(1).range()).isEqualTo("bytes=150000-");
        }
    }

    // Downloading -DOWNLOAD_FAILED-> DownloadFailed
    @Test
    void anHttpsDownloadThatFailsForGoodEndsTheUpdate() throws Exception {
        try (TestHttpsServer server = new TestHttpsServer(imageBytes)) {
            settings.anchors = Optional.of(TestHttpsServer.anchorsPem());
            UpdateEngine e = engine();
            e.start(UpdateRequest.of(server.uri().resolve("/missing.vkimg").toString(), false));
            UpdateStatus end = await(e, FirmwareStatus.DownloadFailed);
            assertThat(end.reason()).startsWith("the server answered HTTP 404");
            assertThat(boot.requests).isEmpty();
        }
    }

    @Test
    void httpsIsRefusedAtTheStartWhenTheTrustAnchorsCannotBeRead() throws Exception {
        settings.anchors = Optional.of(Files.writeString(dir.resolve("anchors.pem"), "not a certificate"));
        UpdateEngine e = engine();
        assertThatThrownBy(() -> e.start(UpdateRequest.of("https://example.org/x.vkimg", false)))
                .isInstanceOf(UpdateException.class).hasMessageContaining("https downloads are not available")
                .hasMessageContaining("anchors.pem");
        e.start(UpdateRequest.of(image.toString(), false));
        await(e, FirmwareStatus.InstallRebooting);
    }

    @Test
    void slotsComeFromTheLauncher() throws Exception {
        boot.slots = FakeBootServer.slots("a", "a", null, "bad", "2.0.0", "rolled back");
        UpdateEngine e = engine();
        assertThat(e.slots().slot("b").map(s -> s.why())).contains("rolled back");
        boot.close();
        assertThatThrownBy(e::slots).isInstanceOf(UpdateException.class).hasMessageContaining("is not there");
    }

    @Test
    void servicesThatComeAndGoAreFollowed() throws Exception {
        ChargingService[] current = {null};
        UpdateEngine e = new UpdateEngine(settings.build(), () -> current[0], told::add, Clock.systemUTC());
        engines.add(e);
        e.open();
        e.start(UpdateRequest.of(image.toString(), false));
        await(e, u -> u.reason().startsWith("no status from safety (link DISCONNECTED, no link client)"), "no link client");
        current[0] = charging;
        await(e, FirmwareStatus.InstallRebooting);
    }
}
