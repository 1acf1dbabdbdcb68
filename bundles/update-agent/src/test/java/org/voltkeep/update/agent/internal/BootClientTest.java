package org.voltkeep.update.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;

/** The boot socket client against a real Unix socket that speaks the launcher's protocol. */
@Timeout(30)
class BootClientTest {
    @TempDir
    Path dir;
    private FakeBootServer server;
    private BootClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeBootServer(dir.resolve("boot.sock"));
        client = new BootClient(server.path, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void slotsAreRead() throws Exception {
        server.slots = FakeBootServer.slots("a", "a", FakeBootServer.trial("b", 2), "trial", "2.0.0", "");
        BootSlots b = client.slots();
        assertThat(b.booted()).isEqualTo("a");
        assertThat(b.floor()).isEqualTo(1);
        assertThat(b.trial()).contains(new BootSlots.Trial("b", 2));
        assertThat(b.slot("b").map(BootSlots.Slot::state)).contains(BootSlots.SlotState.trial);
        assertThat(server.requests.get(0).write()).isEqualTo("{\"cmd\":\"slots\"}");
    }

    @Test
    void installSendsTheAbsolutePathAndReportsProgressThenTheSlot() throws Exception {
        Path image = Files.write(dir.resolve("image.vkimg"), new byte[] {1, 2, 3});
        List<String> seen = new ArrayList<>();
        BootClient.InstallResult r = client.install(image, (phase, done, total) -> seen.add(phase + " " + done + "/" + total));
        assertThat(r).isEqualTo(new BootClient.Installed("b", "2.0.0", 2));
        assertThat(seen).containsExactly("copying 0/100", "verifying 100/100");
        assertThat(server.requests.get(0).string("file")).isEqualTo(image.toAbsolutePath().toString());
        assertThat(server.installedBytes.get(0)).containsExactly(1, 2, 3);
    }

    @Test
    void installRefusalsCarryTheLaunchersStatusAndReason() throws Exception {
        Path image = Files.write(dir.resolve("image.vkimg"), new byte[] {1});
        for (String status : new String[] {"InvalidSignature", "InstallVerificationFailed", "InstallationFailed"}) {
            server.installAnswer = List.of(Json.object().put("ok", false).put("status", status).put("error", "because " + status));
            assertThat(client.install(image, (p, d, t) -> { }))
                    .isEqualTo(new BootClient.Refused(FirmwareStatus.valueOf(status), "because " + status));
        }
        server.installAnswer = List.of(Json.object().put("ok", false).put("status", "Exploded").put("error", "odd"));
        assertThat(client.install(image, (p, d, t) -> { }))
                .isEqualTo(new BootClient.Refused(FirmwareStatus.InstallationFailed, "odd (launcher status 'Exploded')"));
    }

    @Test
    void activateReturnsTheSlotAndARefusalIsAnError() throws Exception {
        assertThat(client.activate()).isEqualTo("b");
        server.activateAnswer = Json.object().put("ok", false).put("error", "no installed slot to activate");
        assertThatThrownBy(client::activate).isInstanceOf(BootClient.BootException.class)
                .hasMessage("the launcher refused activate: no installed slot to activate");
    }

    @Test
    void aMissingSocketASilentLauncherAndGarbageAreReported() throws Exception {
        BootClient nowhere = new BootClient(dir.resolve("none.sock"), Duration.ofSeconds(1));
        assertThatThrownBy(nowhere::slots).isInstanceOf(BootClient.BootException.class)
                .hasMessageContaining("boot socket " + dir.resolve("none.sock") + " is not there");

        server.silent = true;
        BootClient impatient = new BootClient(server.path, Duration.ofMillis(300));
        assertThatThrownBy(impatient::slots).hasMessage("the launcher did not answer within 300 ms");
        server.silent = false;

        server.slots = Json.object().put("ok", true).put("booted", "a");
        assertThatThrownBy(client::slots).hasMessage("the launcher's slots answer is not readable: $.slots: missing");
    }

    @Test
    void anEmptySlotWithoutImageFieldsIsFine() throws Exception {
        server.slots = Json.parseObject("{\"ok\":true,\"booted\":\"a\",\"primary\":\"a\",\"floor\":1,\"trial\":null,"
                + "\"slots\":[{\"slot\":\"a\",\"state\":\"good\",\"version\":\"1.0.0\",\"securityVersion\":1,\"manifestSha256\":\"x\",\"why\":\"\"},"
                + "{\"slot\":\"b\",\"state\":\"empty\"}]}");
        assertThat(client.slots().trial()).isEqualTo(Optional.empty());
    }
}
