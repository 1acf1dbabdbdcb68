package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.BundleDomain;

/** The slot store with real signed images on a real provisioned device directory. */
class SlotStoreTest {
    @TempDir
    static Path shared;
    static TestImages images;

    @TempDir
    Path dir;

    @BeforeAll
    static void images() throws Exception {
        images = new TestImages(shared);
    }

    @Test
    void deviceCreationRecordsSlotAGoodAndPrimary() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        BootVerifier.Boot boot = store.installFactory(images.image("1.0.0", 1));
        BootState st = store.state();
        assertThat(st.primary()).isEqualTo(Slot.A);
        assertThat(st.slot(Slot.A).state()).isEqualTo(SlotState.GOOD);
        assertThat(st.slot(Slot.A).image().orElseThrow().manifestSha256()).isEqualTo(boot.image().manifestSha256());
        assertThat(st.slot(Slot.B).state()).isEqualTo(SlotState.EMPTY);
        assertThat(st.slot(Slot.R).state()).isEqualTo(SlotState.EMPTY);
        assertThat(d.configDir(BundleDomain.APP).resolve("org.example.core.cfg")).hasContent("greeting=hello");
        assertNoLeftovers(d);
    }

    @Test
    void installWritesTheInactiveSlotThroughStagingAndRecordsItWaiting() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        byte[] slotA = Files.readAllBytes(d.slotImage("a"));
        List<String> phases = new ArrayList<>();
        SlotStore.Installed r = store.install(images.image("2.0.0", 2), Slot.A, (phase, done, total) -> {
            phases.add(phase);
            assertThat(done).isBetween(0L, total);
        });
        assertThat(r.slot()).isEqualTo(Slot.B);
        assertThat(r.image().version()).isEqualTo("2.0.0");
        assertThat(r.image().securityVersion()).isEqualTo(2);
        assertThat(phases).contains("copying", "verifying");
        assertThat(phases.indexOf("verifying")).isGreaterThan(phases.lastIndexOf("copying"));
        assertThat(Files.readAllBytes(d.slotImage("b"))).isEqualTo(Files.readAllBytes(images.image("2.0.0", 2)));
        assertThat(Files.readAllBytes(d.slotImage("a"))).as("the booted slot is never written").isEqualTo(slotA);
        BootState st = store.state();
        assertThat(st.slot(Slot.B).state()).isEqualTo(SlotState.TRIAL);
        assertThat(st.slot(Slot.B).why()).contains("waiting for activation");
        assertThat(st.trial()).as("not activated yet").isEmpty();
        assertThat(st.primary()).isEqualTo(Slot.A);
        assertNoLeftovers(d);

        // booted from B: the install goes to A
        store.installFactory(images.image("1.0.0", 1));
        assertThat(store.install(images.image("3.0.0", 2), Slot.B, SlotStore.Progress.NONE).slot()).isEqualTo(Slot.A);
    }

    @Test
    void aRefusedImageChangesNothingAndSaysWhyWithItsOcppStatus() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.install(images.image("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        String stateBefore = Files.readString(d.bootState());
        byte[] slotB = Files.readAllBytes(d.slotImage("b"));

        assertRefused(store, images.untrusted("9.0.0"), InstallRejected.Status.INVALID_SIGNATURE, "CERT_UNTRUSTED");
        assertRefused(store, images.tampered(images.image("2.1.0", 2)), InstallRejected.Status.INSTALL_VERIFICATION_FAILED, "slot b rejected");
        assertRefused(store, images.incompatible("2.2.0"), InstallRejected.Status.INSTALL_VERIFICATION_FAILED, "INCOMPATIBLE");
        new SlotStoreFloor(d).raise(2);
        assertRefused(store, images.image("1.5.0", 1), InstallRejected.Status.INSTALL_VERIFICATION_FAILED, "ROLLBACK");
        assertRefused(store, dir.resolve("missing.vkimg"), InstallRejected.Status.INSTALLATION_FAILED, "no image file at");
        assertRefused(store, Path.of("relative.vkimg"), InstallRejected.Status.INSTALLATION_FAILED, "must be absolute");

        assertThat(Files.readString(d.bootState())).isEqualTo(stateBefore);
        assertThat(Files.readAllBytes(d.slotImage("b"))).isEqualTo(slotB);
        assertNoLeftovers(d);
        String log = Files.readString(d.data().resolve("security/events.jsonl"));
        assertThat(log).contains("\"event\":\"InvalidFirmwareSigningCertificate\"");
    }

    @Test
    void installNeverTouchesRecoveryAndWaitsWhileATrialRuns() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.installRecovery(images.image("0.9.0", 1));
        byte[] recovery = Files.readAllBytes(d.slotImage("r"));
        assertThat(store.state().slot(Slot.R).state()).isEqualTo(SlotState.GOOD);

        // booted from R: A and B are the only targets, the one holding nothing good first
        assertThat(store.install(images.image("2.0.0", 1), Slot.R, SlotStore.Progress.NONE).slot()).isEqualTo(Slot.B);
        assertThat(store.activate(Slot.A, 3)).isEqualTo(Slot.B);
        assertThatThrownBy(() -> store.install(images.image("3.0.0", 1), Slot.A, SlotStore.Progress.NONE))
                .isInstanceOf(InstallRejected.class).hasMessageContaining("slot b is on trial");
        assertThat(Files.readAllBytes(d.slotImage("r"))).isEqualTo(recovery);
        assertThat(SlotStore.installTarget(store.state(), Slot.R)).isNotEqualTo(Slot.R);
    }

    @Test
    void trialCountsAttemptsBeforeBootingThenCommitsAndRaisesTheFloor() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        assertThat(store.select().reason()).isEqualTo("primary slot a");
        assertThat(store.floor()).as("the primary's security version is committed").isEqualTo(1);

        store.install(images.image("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        assertThatThrownBy(() -> store.activate(Slot.B, 3)).as("only a slot that is not booted waits")
                .isInstanceOf(SlotStore.Refused.class);
        assertThat(store.activate(Slot.A, 3)).isEqualTo(Slot.B);
        assertThatThrownBy(() -> store.activate(Slot.A, 3)).hasMessageContaining("already on trial");

        SlotStore.Selected trial = store.select();
        assertThat(trial.trial()).isTrue();
        assertThat(trial.slot()).isEqualTo(Slot.B);
        assertThat(store.state().trial().orElseThrow().attemptsLeft()).as("counted before the trial boot").isEqualTo(2);
        assertThat(store.floor()).as("not raised before the commit").isEqualTo(1);

        store.commit(Slot.B, trial.boot(), "health check passed");
        BootState st = store.state();
        assertThat(st.trial()).isEmpty();
        assertThat(st.primary()).isEqualTo(Slot.B);
        assertThat(st.slot(Slot.B).state()).isEqualTo(SlotState.GOOD);
        assertThat(st.slot(Slot.B).why()).isEqualTo("health check passed");
        assertThat(st.slot(Slot.A).state()).isEqualTo(SlotState.GOOD);
        assertThat(store.floor()).isEqualTo(2);
        assertThat(store.select().slot()).isEqualTo(Slot.B);
        assertThat(Files.readString(d.data().resolve("security/events.jsonl"))).doesNotContain("UpdateRolledBack");
    }

    @Test
    void aFailedTrialIsMarkedBadAndThePreviousSlotBootsWithTheFloorUntouched() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.install(images.image("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 3);
        SlotStore.Selected trial = store.select();
        store.rollBack(trial.slot(), "health check did not pass within the trial window of 60 s: link FAILED");
        BootState st = store.state();
        assertThat(st.trial()).isEmpty();
        assertThat(st.primary()).isEqualTo(Slot.A);
        assertThat(st.slot(Slot.B).state()).isEqualTo(SlotState.BAD);
        assertThat(st.slot(Slot.B).why()).isEqualTo("rolled back: health check did not pass within the trial window of 60 s: link FAILED");
        assertThat(st.slot(Slot.B).image().orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(store.floor()).isEqualTo(1);
        SlotStore.Selected back = store.select();
        assertThat(back.slot()).isEqualTo(Slot.A);
        assertThat(back.trial()).isFalse();
        assertThatThrownBy(() -> store.commit(Slot.B, trial.boot(), "late")).isInstanceOf(SlotStore.Refused.class);
        assertThat(Files.readString(d.data().resolve("security/events.jsonl"))).contains("\"event\":\"UpdateRolledBack\"");
    }

    @Test
    void aTrialThatRunsOutOfAttemptsRollsBackAtTheNextBoot() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.install(images.image("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 2);
        // the launcher is killed during each trial boot: nothing records a verdict
        assertThat(store.select().trial()).isTrue();
        assertThat(store.select().trial()).isTrue();
        assertThat(store.state().trial().orElseThrow().attemptsLeft()).isZero();
        SlotStore.Selected s = store.select();
        assertThat(s.slot()).isEqualTo(Slot.A);
        assertThat(s.trial()).isFalse();
        assertThat(s.fallbacks()).anyMatch(f -> f.contains("ran out of boot attempts"));
        assertThat(store.state().slot(Slot.B).state()).isEqualTo(SlotState.BAD);
        assertThat(store.state().slot(Slot.B).why()).contains("ran out of boot attempts");
    }

    @Test
    void aTrialSlotThatFailsVerificationAtItsTrialBootIsRolledBack() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.install(images.image("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 3);
        corrupt(d.slotImage("b"));
        SlotStore.Selected s = store.select();
        assertThat(s.slot()).isEqualTo(Slot.A);
        assertThat(s.trial()).isFalse();
        assertThat(s.fallbacks()).anyMatch(f -> f.startsWith("slot b rolled back: failed verification at its trial boot"));
        assertThat(store.state().slot(Slot.B).state()).isEqualTo(SlotState.BAD);
        assertThat(store.state().trial()).isEmpty();
        assertThat(store.floor()).isEqualTo(1);
    }

    @Test
    void fallbackChainPrimaryThenOtherGoodThenRecoveryThenNothing() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.installRecovery(images.image("0.9.0", 1));
        store.install(images.image("2.0.0", 1), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 3);
        SlotStore.Selected t = store.select();
        store.commit(t.slot(), t.boot(), "health check passed");
        assertThat(store.select().reason()).isEqualTo("primary slot b");

        corrupt(d.slotImage("b"));
        SlotStore.Selected s1 = store.select();
        assertThat(s1.slot()).isEqualTo(Slot.A);
        assertThat(s1.reason()).isEqualTo("fallback to slot a (now primary)");
        assertThat(s1.fallbacks()).anyMatch(f -> f.startsWith("slot b rejected:"));
        assertThat(store.state().slot(Slot.B).state()).isEqualTo(SlotState.BAD);
        assertThat(store.state().slot(Slot.B).why()).startsWith("failed verification at boot: slot b rejected:");
        assertThat(store.state().primary()).isEqualTo(Slot.A);

        corrupt(d.slotImage("a"));
        SlotStore.Selected s2 = store.select();
        assertThat(s2.slot()).isEqualTo(Slot.R);
        assertThat(s2.reason()).contains("recovery image");
        assertThat(store.state().slot(Slot.A).state()).isEqualTo(SlotState.BAD);

        corrupt(d.slotImage("r"));
        assertThatThrownBy(store::select).isInstanceOf(SlotRejectedException.class)
                .hasMessageContaining("no slot can boot")
                .hasMessageContaining("slot a: bad")
                .hasMessageContaining("slot b: bad")
                .hasMessageContaining("slot r rejected");
        String log = Files.readString(d.data().resolve("security/events.jsonl"));
        assertThat(log.split("\"event\":\"BootRefused\"", -1)).hasSize(4);
    }

    @Test
    void theRecoveryImageIsVerifiedAgainstItsOwnFloorNotTheOneCommitsRaised() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        store.installRecovery(images.image("0.9.0", 1));
        store.install(images.image("5.0.0", 5), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 3);
        SlotStore.Selected t = store.select();
        store.commit(t.slot(), t.boot(), "health check passed");
        assertThat(store.floor()).as("a committed v5 raised the device's floor").isEqualTo(5);
        assertThat(SlotStore.floorFor(store.state(), Slot.R)).hasValue(1);
        assertThat(SlotStore.floorFor(store.state(), Slot.A)).as("A and B use the device's floor").isEmpty();
        assertThatThrownBy(() -> BootVerifier.verify(d, "r", TestImages.BOARD)).as("R against the device's floor")
                .hasMessageContaining("ROLLBACK");

        corrupt(d.slotImage("b"));
        SlotStore.Selected s = store.select();
        assertThat(s.slot()).as("B corrupt, A (v1) below the floor: R").isEqualTo(Slot.R);
        assertThat(s.reason()).isEqualTo("fallback to the recovery image (slot r)");
        assertThat(s.boot().floor()).as("R's own floor: its security version when the device was made").isEqualTo(1);
        assertThat(s.fallbacks()).anyMatch(f -> f.startsWith("slot b rejected:"))
                .anyMatch(f -> f.startsWith("slot a rejected:") && f.contains("ROLLBACK"));
        assertThat(store.state().slot(Slot.R).state()).isEqualTo(SlotState.GOOD);
        assertThat(store.floor()).as("booting R lowers nothing").isEqualTo(5);
        org.voltkeep.image.PinnedImage domain = org.voltkeep.image.PinnedImage.read(d.slotImage("r"),
                s.boot().image().manifestSha256(), BundleDomain.SAFETY, DeviceLayout.IMAGE_LIMITS);
        assertThat(domain.bundles()).as("a domain reads R's bundles pinned to the manifest the launcher verified").isNotEmpty();

        // R's own floor is no way in for another image: R must hold the very image recorded for it
        Files.copy(images.image("0.8.0", 1), d.slotImage("r"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(store::select).isInstanceOf(SlotRejectedException.class).hasMessageContaining("no slot can boot")
                .hasMessageContaining("holds image 0.8.0").hasMessageContaining("not the recorded 0.9.0");
    }

    @Test
    void theRecoveryImagesDefaultsArrivePutByItsInstallAndEveryBootKeepingTheDevicesEdits() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        Path edited = d.configDir(BundleDomain.APP).resolve("org.example.core.cfg");
        Files.writeString(edited, "greeting=edited on the device\n");
        Path extra = d.configDir(BundleDomain.APP).resolve(TestImages.EXTRA_DEFAULT);
        assertThat(extra).as("slot A's image does not carry it").doesNotExist();

        store.installRecovery(images.imageAddingDefault("0.9.0", 1));
        assertThat(extra).as("R's own default, there before R ever boots").hasSameTextualContentAs(images.extraDefault());

        // a device made before R's install copied defaults: the boot of R adds what is missing
        Files.delete(extra);
        store.copyMissingDefaults(BootVerifier.verify(d, "r", TestImages.BOARD));
        assertThat(extra).hasSameTextualContentAs(images.extraDefault());
        assertThat(edited).as("the device's edit is kept").hasContent("greeting=edited on the device");
    }

    @Test
    void aSlotWhoseImageWasSwappedBehindTheBootStateIsRefused() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        Files.copy(images.image("1.1.0", 1), d.slotImage("a"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(store::select).isInstanceOf(SlotRejectedException.class)
                .hasMessageContaining("holds image 1.1.0").hasMessageContaining("not the recorded 1.0.0");
    }

    @Test
    void aFormat1DeviceBootsItsPrimaryAndRecordsItsImage() throws Exception {
        DeviceLayout d = images.device(dir.resolve("dev"));
        SlotStore store = images.store(d, FileOps.REAL);
        store.installFactory(images.image("1.0.0", 1));
        Files.writeString(d.bootState(), "format=1\nprimary=a\n");
        SlotStore.Selected s = store.select();
        assertThat(s.slot()).isEqualTo(Slot.A);
        assertThat(store.state().slot(Slot.A).image().orElseThrow().version()).isEqualTo("1.0.0");
        assertThat(Files.readString(d.bootState())).contains("format=2");
    }

    private static void assertRefused(SlotStore store, Path image, InstallRejected.Status status, String reason) {
        assertThatThrownBy(() -> store.install(image, Slot.A, SlotStore.Progress.NONE))
                .isInstanceOfSatisfying(InstallRejected.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(reason);
    }

    private static void corrupt(Path image) throws IOException {
        byte[] b = Files.readAllBytes(image);
        b[b.length / 2] ^= 0x10;
        Files.write(image, b);
    }

    static void assertNoLeftovers(DeviceLayout d) throws IOException {
        try (Stream<Path> s = Files.list(d.slots())) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> !n.startsWith("."));
        }
        assertThat(d.root().resolve(".boot-state.new")).doesNotExist();
    }

    /** Raises the device's anti-rollback floor as a commit elsewhere would have. */
    record SlotStoreFloor(DeviceLayout d) {
        void raise(long v) throws Exception {
            try (var rot = DeviceTrust.open(d)) {
                rot.counters().raiseTo(org.voltkeep.rot.api.MonotonicCounters.SECURITY_VERSION, v);
            }
        }
    }
}
