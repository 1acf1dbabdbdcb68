package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.VerifiedFile;
import org.voltkeep.launcher.BootState.ImageInfo;
import org.voltkeep.launcher.BootState.SlotRecord;
import org.voltkeep.launcher.BootState.Trial;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;

/**
 * The slots and the boot state, and every change to them: install into the inactive
 * slot, activate it for a trial, choose and verify the slot to boot (primary, the other
 * good slot, then R), commit a trial or roll it back.
 *
 * <p>Power-cut safety: every change goes through {@link FileOps}, and each is ordered
 * so that a cut between any two steps leaves a boot state whose bootable slots hold
 * what it says. An image is copied and verified in staging before its slot is touched;
 * the slot is recorded empty before its directory is swapped and recorded again only
 * after the swap is durable; the booted slot and the primary slot are never written;
 * a trial's attempt is counted before the trial boot starts; a commit records the slot
 * good before it raises the anti-rollback floor (a cut in between is healed at the next
 * boot of that primary slot, which raises the floor again).
 */
final class SlotStore {
    /** Installs and activations at once would race for the inactive slot: one at a time. */
    private final Object lock = new Object();
    private final DeviceLayout device;
    private final String board;
    private final FileOps files;
    private final Clock clock;
    private boolean installing;

    /** Progress of an install, for the caller to pass on. */
    interface Progress {
        Progress NONE = (phase, done, total) -> { };

        void report(String phase, long done, long total);
    }

    /** What an install put where. */
    record Installed(Slot slot, ImageInfo image) {
    }

    /** What the boot chose: the verified image, whether it boots on trial, why this slot, and the slots passed over. */
    record Selected(BootVerifier.Boot boot, boolean trial, String reason, List<String> fallbacks) {
        Slot slot() {
            return Slot.parse(boot.slot());
        }
    }

    /** A request the boot state does not allow now; nothing changed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    SlotStore(DeviceLayout device, String board, FileOps files, Clock clock) {
        this.device = device;
        this.board = board;
        this.files = files;
        this.clock = clock;
    }

    BootState state() throws IOException {
        return BootState.read(device);
    }

    /** The anti-rollback floor the root of trust holds now. */
    long floor() throws IOException {
        try (RootOfTrust rot = DeviceTrust.open(device)) {
            return rot.counters().read(MonotonicCounters.SECURITY_VERSION);
        } catch (RotException e) {
            throw new IOException("cannot read the anti-rollback floor: " + e.getMessage(), e);
        }
    }

    // ---- device creation ---------------------------------------------------------------

    /**
     * Installs {@code image} into slot A as the device's good primary image (device creation
     * or a factory refresh), keeping B and R as they are; on a new device writes the first
     * boot state. The anti-rollback floor rises to its security version. A refused image
     * changes nothing.
     */
    BootVerifier.Boot installFactory(Path image) throws IOException, SlotRejectedException {
        synchronized (lock) {
            cleanLeftovers();
            BootVerifier.Boot boot = stageAndVerify(Slot.A, image, Progress.NONE);
            Optional<BootState> before = device.exists() ? Optional.of(state()) : Optional.empty();
            if (before.isPresent()) {
                // while A is replaced, a cut must leave a good primary: B if it is good
                BootState st = before.get().withTrial(Optional.empty());
                if (st.slot(Slot.B).state() == SlotState.GOOD) {
                    st = st.withPrimary(Slot.B);
                }
                st.with(Slot.A, SlotRecord.empty("being replaced by " + boot.image().manifest().version(), clock.instant()))
                        .write(device, files);
            }
            swapIn(Slot.A);
            String why = "installed at device creation";
            BootState after = before
                    .map(st -> st.with(Slot.A, SlotRecord.of(SlotState.GOOD, ImageInfo.of(boot), why, clock.instant()))
                            .withTrial(Optional.empty()).withPrimary(Slot.A))
                    .orElseGet(() -> BootState.initial(ImageInfo.of(boot), why, clock.instant()));
            after.write(device, files);
            // the image a device is made with is good by definition: nothing older may follow it
            raiseFloor(boot.image().manifest().securityVersion());
            copyConfigDefaults(boot);
            return boot;
        }
    }

    /** Installs the recovery image into slot R (device creation only; an install never writes R). */
    BootVerifier.Boot installRecovery(Path image) throws IOException, SlotRejectedException {
        synchronized (lock) {
            cleanLeftovers();
            BootVerifier.Boot boot = stageAndVerify(Slot.R, image, Progress.NONE);
            state().with(Slot.R, SlotRecord.empty("being replaced by recovery image " + boot.image().manifest().version(),
                    clock.instant())).write(device, files);
            swapIn(Slot.R);
            state().with(Slot.R, SlotRecord.of(SlotState.GOOD, ImageInfo.of(boot), "recovery image installed at device creation",
                    clock.instant())).write(device, files);
            // its components' defaults (the safety hold's, say) are there when R has to boot, perhaps years later
            copyConfigDefaults(boot);
            return boot;
        }
    }

    // ---- updates -----------------------------------------------------------------------

    /** The slot an install writes while {@code booted} runs: never the booted one, never R. */
    static Slot installTarget(BootState st, Slot booted) {
        if (booted.updatable()) {
            return booted.other();
        }
        // booted from recovery: prefer a slot that holds nothing good, then the one that is not primary
        Slot notPrimary = st.primary().other();
        if (st.slot(notPrimary).state() != SlotState.GOOD) {
            return notPrimary;
        }
        return st.slot(st.primary()).state() != SlotState.GOOD ? st.primary() : notPrimary;
    }

    /**
     * Copies {@code image} into staging, verifies it there exactly as boot will, and only
     * then puts it into the inactive slot and records it there as installed (state trial,
     * waiting for {@link #activate}). A refused image changes nothing.
     */
    Installed install(Path image, Slot booted, Progress progress) throws InstallRejected {
        synchronized (lock) {
            if (installing) {
                throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "another install is in progress");
            }
            installing = true;
        }
        try {
            return doInstall(image, booted, progress);
        } finally {
            synchronized (lock) {
                installing = false;
            }
        }
    }

    private Installed doInstall(Path image, Slot booted, Progress progress) throws InstallRejected {
        Slot target;
        try {
            BootState st = state();
            if (st.trial().isPresent()) {
                throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "slot " + st.trial().get().slot()
                        + " is on trial: an install waits until it is committed or rolled back");
            }
            target = installTarget(st, booted);
            if (!image.isAbsolute() || !Files.isRegularFile(image)) {
                throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "no image file at " + image
                        + (image.isAbsolute() ? "" : " (the path must be absolute)"));
            }
            long size = Files.size(image);
            Files.createDirectories(device.slots());
            long free = Files.getFileStore(device.slots()).getUsableSpace();
            if (free < size + size / 10) {
                throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "not enough space under " + device.slots()
                        + ": the image needs " + size + " bytes, " + free + " are free");
            }
            cleanLeftovers();
        } catch (IOException e) {
            throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "cannot install " + image + ": " + e.getMessage(), e);
        }
        BootVerifier.Boot boot;
        try {
            boot = stageAndVerify(target, image, progress);
        } catch (SlotRejectedException e) {
            BootEvents.installRefused(device, target.id(), e);
            throw new InstallRejected(InstallRejected.Status.of(e), e.getMessage(), e);
        } catch (IOException e) {
            throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "cannot stage " + image + ": " + e.getMessage(), e);
        }
        ImageInfo info = ImageInfo.of(boot);
        try {
            synchronized (lock) {
                BootState st = state();
                if (st.trial().isPresent() || installTarget(st, booted) != target) {
                    files.deleteTree(device.staging(target));
                    throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "the boot state changed during the install");
                }
                if (st.slot(target).state() != SlotState.EMPTY) {
                    st = st.with(target, SlotRecord.empty("being replaced by " + info.version(), clock.instant()));
                    st.write(device, files);
                }
                swapIn(target);
                st.with(target, SlotRecord.of(SlotState.TRIAL, info, "installed " + info.version() + " from " + image.getFileName()
                        + "; waiting for activation", clock.instant())).write(device, files);
            }
            copyConfigDefaults(boot);
        } catch (IOException e) {
            throw new InstallRejected(InstallRejected.Status.INSTALLATION_FAILED, "cannot install into slot " + target + ": "
                    + e.getMessage(), e);
        }
        return new Installed(target, info);
    }

    /**
     * Activates the installed slot for its trial: the next boot starts it with
     * {@code attempts} attempts, {@code booted} (or the primary) is where it rolls back to.
     */
    Slot activate(Slot booted, int attempts) throws IOException, Refused {
        synchronized (lock) {
            if (installing) {
                throw new Refused("an install is in progress");
            }
            BootState st = state();
            if (st.trial().isPresent()) {
                throw new Refused("slot " + st.trial().get().slot() + " is already on trial");
            }
            Slot waiting = null;
            for (Slot s : new Slot[] {Slot.A, Slot.B}) {
                if (s != booted && st.slot(s).state() == SlotState.TRIAL) {
                    waiting = s;
                }
            }
            if (waiting == null) {
                throw new Refused("no installed slot waits for activation (install an image first)");
            }
            Slot previous = st.slot(booted).state() == SlotState.GOOD ? booted : st.primary();
            st.withTrial(Optional.of(new Trial(waiting, attempts, previous))).write(device, files);
            return waiting;
        }
    }

    // ---- boot ---------------------------------------------------------------------------

    /**
     * Chooses the slot to boot and verifies it: a slot on trial while it has attempts
     * left (one is counted before it boots), else the primary slot, the other good slot,
     * then R. A slot that fails verification because of its image is marked bad with the
     * reason (and logged); one that fails because the device could not check it is passed
     * over for this boot only. Throws when no slot can boot.
     */
    Selected select() throws IOException, SlotRejectedException {
        synchronized (lock) {
            if (!installing) {
                cleanLeftovers();
            }
            BootState st = state();
            List<String> fallbacks = new ArrayList<>();
            if (st.trial().isPresent()) {
                Trial t = st.trial().get();
                if (t.attemptsLeft() == 0) {
                    String why = "trial ran out of boot attempts without passing its health check (the launcher stopped during each)";
                    st = rollBack(st, t, why);
                    fallbacks.add("slot " + t.slot() + " rolled back: " + why);
                } else {
                    st = st.withTrial(Optional.of(t.attemptUsed()));
                    st.write(device, files);
                    try {
                        BootVerifier.Boot boot = verifyRecorded(st, t.slot());
                        return new Selected(boot, true, "trial boot of slot " + t.slot() + " (" + (t.attemptsLeft() - 1)
                                + " attempts left after this one)", fallbacks);
                    } catch (SlotRejectedException e) {
                        BootEvents.refused(device, e);
                        String why = "failed verification at its trial boot: " + e.getMessage();
                        st = rollBack(st, st.trial().get(), why);
                        fallbacks.add("slot " + t.slot() + " rolled back: " + why);
                    }
                }
            }
            List<String> passed = new ArrayList<>();
            for (Slot s : new Slot[] {st.primary(), st.primary().other(), Slot.R}) {
                SlotRecord rec = st.slot(s);
                if (rec.state() != SlotState.GOOD) {
                    passed.add("slot " + s + ": " + rec.state().id() + " (" + rec.why() + ")");
                    if (s == st.primary()) {
                        fallbacks.add("primary slot " + s + " is " + rec.state().id() + ": " + rec.why());
                    }
                    continue;
                }
                try {
                    BootVerifier.Boot boot = verifyRecorded(st, s);
                    String reason;
                    if (s == st.primary()) {
                        reason = "primary slot " + s;
                        if (boot.image().manifest().securityVersion() > boot.floor()) {
                            // a commit cut short between recording the slot good and raising the floor
                            raiseFloor(boot.image().manifest().securityVersion());
                        }
                    } else if (s.updatable()) {
                        st = st.withPrimary(s);
                        st.write(device, files);
                        reason = "fallback to slot " + s + " (now primary)";
                    } else {
                        reason = "fallback to the recovery image (slot r)";
                    }
                    if (rec.image().isEmpty()) {
                        st.with(s, SlotRecord.of(SlotState.GOOD, ImageInfo.of(boot), rec.why() + "; image recorded at boot",
                                clock.instant())).write(device, files);
                    }
                    return new Selected(boot, false, reason, fallbacks);
                } catch (SlotRejectedException e) {
                    BootEvents.refused(device, e);
                    if (e.imageAtFault()) {
                        st = st.with(s, rec.bad("failed verification at boot: " + e.getMessage(), clock.instant()));
                        st.write(device, files);
                    }
                    passed.add(e.getMessage());
                    fallbacks.add(e.getMessage());
                }
            }
            throw new SlotRejectedException("no slot can boot: " + String.join("; ", passed));
        }
    }

    /**
     * The anti-rollback floor a slot is verified against; empty means the device's (the
     * root of trust's SECURITY_VERSION counter), which every A/B slot uses. Slot R uses
     * its own: the security version recorded when R was installed at device creation,
     * because R is never updated while the device's floor rises with every committed
     * A/B image: against that floor the recovery image would be refused exactly when it
     * is needed. R still has to hold the very image its record names (manifest hash),
     * so nothing older can take its place. R without a recorded image uses the device's.
     */
    static OptionalLong floorFor(BootState st, Slot s) {
        if (s != Slot.R) {
            return OptionalLong.empty();
        }
        return st.slot(Slot.R).image().map(i -> OptionalLong.of(i.securityVersion())).orElse(OptionalLong.empty());
    }

    /** {@link #floorFor(BootState, Slot)} from the boot state on disk (a domain and attestation verify with it). */
    static OptionalLong floorFor(DeviceLayout device, Slot s) throws IOException {
        return s == Slot.R ? floorFor(BootState.read(device), s) : OptionalLong.empty();
    }

    /** Verifies a slot and checks it holds the image its record names (nothing swapped behind the boot state's back). */
    private BootVerifier.Boot verifyRecorded(BootState st, Slot s) throws SlotRejectedException {
        BootVerifier.Boot boot = BootVerifier.verify(device, s.id(), board, floorFor(st, s));
        Optional<ImageInfo> recorded = st.slot(s).image();
        if (recorded.isPresent() && !recorded.get().manifestSha256().equals(boot.image().manifestSha256())) {
            throw new SlotRejectedException(s.id(), "holds image " + boot.image().manifest().version() + " (manifest "
                    + boot.image().manifestSha256().substring(0, 16) + "…), not the recorded " + recorded.get().version()
                    + " (manifest " + recorded.get().manifestSha256().substring(0, 16) + "…)", true);
        }
        return boot;
    }

    /**
     * The trial passed its health check: the slot becomes good and primary, then the
     * anti-rollback floor rises to its security version.
     */
    void commit(Slot slot, BootVerifier.Boot boot, String why) throws IOException, Refused {
        long securityVersion = boot.image().manifest().securityVersion();
        synchronized (lock) {
            BootState st = state();
            if (st.trial().isEmpty() || st.trial().get().slot() != slot) {
                throw new Refused("slot " + slot + " is not on trial");
            }
            st.with(slot, SlotRecord.of(SlotState.GOOD, ImageInfo.of(boot), why, clock.instant()))
                    .withTrial(Optional.empty()).withPrimary(slot).write(device, files);
        }
        raiseFloor(securityVersion);
    }

    /** The trial failed: the slot is marked bad with {@code why}; the next boot takes the previous good slot. */
    void rollBack(Slot slot, String why) throws IOException, Refused {
        synchronized (lock) {
            BootState st = state();
            if (st.trial().isEmpty() || st.trial().get().slot() != slot) {
                throw new Refused("slot " + slot + " is not on trial");
            }
            rollBack(st, st.trial().get(), why);
        }
    }

    private BootState rollBack(BootState st, Trial t, String why) throws IOException {
        BootState after = st.with(t.slot(), st.slot(t.slot()).bad("rolled back: " + why, clock.instant()))
                .withTrial(Optional.empty());
        if (t.previous().updatable()) {
            after = after.withPrimary(t.previous());
        }
        after.write(device, files);
        BootEvents.rolledBack(device, t.slot().id(), t.previous().id(), why);
        return after;
    }

    private void raiseFloor(long securityVersion) throws IOException {
        try (RootOfTrust rot = DeviceTrust.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, securityVersion);
        } catch (RotException e) {
            throw new IOException("cannot raise the anti-rollback floor to " + securityVersion + ": " + e.getMessage(), e);
        }
    }

    // ---- files --------------------------------------------------------------------------

    private BootVerifier.Boot stageAndVerify(Slot target, Path image, Progress progress) throws IOException, SlotRejectedException {
        if (!Files.isRegularFile(image)) {
            throw new SlotRejectedException(target.id(), "no image at " + image, true);
        }
        long total = Files.size(image);
        Path staging = device.staging(target);
        files.deleteTree(staging);
        files.createDirectories(staging);
        Path staged = staging.resolve(device.slotImage(target.id()).getFileName());
        progress.report("copying", 0, total);
        files.copy(image, staged, done -> progress.report("copying", done, total));
        files.fsync(staged);
        files.fsyncDirectory(staging);
        progress.report("verifying", 0, total);
        try {
            BootVerifier.Boot boot = BootVerifier.verify(device, target.id(), staged, board);
            progress.report("verifying", total, total);
            return boot;
        } catch (SlotRejectedException e) {
            files.deleteTree(staging);
            throw e;
        }
    }

    /** Puts the staged directory in the slot's place; the caller has recorded the slot empty first. */
    private void swapIn(Slot target) throws IOException {
        Path slot = device.slot(target.id());
        Path old = device.replaced(target);
        files.deleteTree(old);
        if (Files.exists(slot)) {
            files.rename(slot, old);
        }
        files.rename(device.staging(target), slot);
        files.fsyncDirectory(device.slots());
        files.deleteTree(old);
    }

    /** What a cut install left behind: staging and replaced directories, a half-written boot state. */
    private void cleanLeftovers() throws IOException {
        for (Slot s : Slot.values()) {
            files.deleteTree(device.staging(s));
            files.deleteTree(device.replaced(s));
        }
        files.delete(device.bootState().resolveSibling("." + device.bootState().getFileName() + ".new"));
    }

    /**
     * Copies the booted image's default configuration files that the device does not have
     * (the launcher does it at every boot): a device made before its recovery image brought
     * defaults, or an install cut short between the swap and its defaults, still boots with
     * every default its image carries. The device's own files are kept as they are.
     */
    void copyMissingDefaults(BootVerifier.Boot boot) throws IOException {
        synchronized (lock) {
            copyConfigDefaults(boot);
        }
    }

    /** Configuration defaults an image carries, where the device has none yet: a device's own edits are kept. */
    private void copyConfigDefaults(BootVerifier.Boot boot) throws IOException {
        for (BundleDomain d : BundleDomain.values()) {
            Path dir = device.configDir(d);
            files.createDirectories(dir);
            for (VerifiedFile f : boot.image().config(d)) {
                Path t = dir.resolve(Path.of(f.path()).getFileName());
                if (!Files.exists(t)) {
                    files.replace(t, f.bytes());
                }
            }
        }
    }
}
