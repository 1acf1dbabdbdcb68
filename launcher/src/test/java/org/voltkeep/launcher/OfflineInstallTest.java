package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;

/**
 * {@code voltkeep update install} on a stopped device: the image is verified and
 * installed as the running launcher would, under the device lock, and activated for
 * a trial at the next start; a device held by another process, or a bad image, changes
 * nothing.
 */
class OfflineInstallTest {
    @TempDir
    static Path shared;
    static TestImages images;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeAll
    static void images() throws Exception {
        images = new TestImages(shared);
    }

    private DeviceLayout stoppedDevice() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        images.store(d, FileOps.REAL).installFactory(images.image("1.0.0", 1));
        return d;
    }

    private int install(DeviceLayout d, Path image, String... more) throws Exception {
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(List.of("install", "--device", d.root().toString(), image.toString()));
        args.addAll(List.of(more));
        return new UpdateCommand(out, err, false).run(args);
    }

    @Test
    void aStoppedDeviceIsInstalledAndActivatedForATrialAtItsNextStart() throws Exception {
        DeviceLayout d = stoppedDevice();
        assertThat(install(d, images.image("2.0.0", 2))).as(errBytes.toString(StandardCharsets.UTF_8)).isZero();
        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("is not running: installing v2.0.0-sv2.vkimg directly")
                .contains("verifying 100%")
                .contains("installed 2.0.0 (security version 2) into slot b and activated it")
                .contains("boots it on trial (3 attempts)").contains("or rolls back to slot a");
        BootState st = BootState.read(d);
        assertThat(st.primary()).as("the primary stays until the trial is committed").isEqualTo(Slot.A);
        assertThat(st.trial()).hasValueSatisfying(t -> {
            assertThat(t.slot()).isEqualTo(Slot.B);
            assertThat(t.attemptsLeft()).isEqualTo(3);
        });
        assertThat(st.slot(Slot.B).image()).hasValueSatisfying(i -> assertThat(i.version()).isEqualTo("2.0.0"));

        // the next boot, as the launcher makes it, takes slot b on trial
        SlotStore.Selected next = images.store(d, FileOps.REAL).select();
        assertThat(next.slot()).isEqualTo(Slot.B);
        assertThat(next.trial()).isTrue();
    }

    @Test
    void jsonSaysWhereItWent() throws Exception {
        DeviceLayout d = stoppedDevice();
        assertThat(install(d, images.image("2.0.0", 2), "--json")).isZero();
        Json.Obj o = Json.parseObject(outBytes.toString(StandardCharsets.UTF_8).trim());
        assertThat(o.bool("ok")).isTrue();
        assertThat(o.bool("offline")).isTrue();
        assertThat(o.string("slot")).isEqualTo("b");
        assertThat(o.string("version")).isEqualTo("2.0.0");
    }

    @Test
    void aDeviceHeldByAnotherProcessIsLeftAlone() throws Exception {
        DeviceLayout d = stoppedDevice();
        byte[] before = Files.readAllBytes(d.bootState());
        Optional<DeviceLock> running = DeviceLock.tryAcquire(d);
        assertThat(running).as("the test plays the running launcher").isPresent();
        try (DeviceLock held = running.get()) {
            assertThat(install(d, images.image("2.0.0", 2))).isEqualTo(1);
            assertThat(DeviceLock.tryAcquire(d)).as("one holder at a time").isEmpty();
        }
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("is in use by a voltkeep process (starting, or restarting its application domain), but its update agent does not answer");
        assertThat(Files.readAllBytes(d.bootState())).as("boot state untouched").isEqualTo(before);
        assertThat(d.slotImage("b")).doesNotExist();
        try (DeviceLock again = DeviceLock.tryAcquire(d).orElseThrow()) {
            assertThat(again).as("released with its holder").isNotNull();
        }
    }

    @Test
    void aBadImageIsRefusedWithItsOcppStatusAndChangesNothing() throws Exception {
        DeviceLayout d = stoppedDevice();
        byte[] before = Files.readAllBytes(d.bootState());
        Path bad = dir.resolve("bad.vkimg");
        byte[] bytes = Files.readAllBytes(images.image("2.0.0", 2));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(bad, bytes);
        assertThat(install(d, bad)).isEqualTo(1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).containsPattern("voltkeep update: (InstallVerificationFailed|InvalidSignature): ");
        assertThat(Files.readAllBytes(d.bootState())).isEqualTo(before);
        assertThat(d.slotImage("b")).doesNotExist();
        assertThat(d.staging(Slot.B)).doesNotExist();

        assertThat(install(d, images.image("0.5.0", 0))).as("below the floor").isEqualTo(1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("InstallVerificationFailed").contains("ROLLBACK");
        assertThat(Files.readAllBytes(d.bootState())).isEqualTo(before);
    }
}
