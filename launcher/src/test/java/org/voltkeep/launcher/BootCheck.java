package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.VerifiedFile;
import org.voltkeep.launcher.BootState.SlotRecord;
import org.voltkeep.securitylog.SecurityLog;
import org.voltkeep.securitylog.VerifyReport;

/**
 * A boot exactly as the launcher's boot thread does it ({@link SlotStore#select}, which
 * verifies with {@link BootVerifier}, then {@link BootEvents#verified} and
 * {@link SlotStore#copyMissingDefaults}), followed by the
 * checks that an interrupted install, commit or rollback must never break:
 *
 * <ul>
 * <li>the booted slot is A or B (never the recovery image: an update must not lose both),
 * its record names the very image that verified, and it is good, or on trial and
 * recorded so;</li>
 * <li>every slot recorded good or on trial holds the image its record names, and that
 * image verifies (signatures, hashes; the floor aside, which a boot checks for the
 * slot it takes);</li>
 * <li>no staging or replaced directory and no half-written boot state is left;</li>
 * <li>configuration: every file in {@code data/config/<domain>/} is byte for byte what
 * it must be (the device's own edit, or an image's default), nothing torn, nothing
 * unknown, and every default of the booted image is there;</li>
 * <li>the security log's hash chain holds (a torn last line is allowed: the next
 * append repairs it).</li>
 * </ul>
 *
 * Plain exceptions, no test library: the kill-cycle child runs it outside JUnit.
 */
final class BootCheck {
    /** A check that did not hold; the message says which and why. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** What booted. */
    record Booted(SlotStore.Selected selected, long floor) {
        Slot slot() {
            return selected.slot();
        }

        String version() {
            return selected.boot().image().manifest().version();
        }

        long securityVersion() {
            return selected.boot().image().manifest().securityVersion();
        }

        boolean trial() {
            return selected.trial();
        }

        /** One line: slot, version, security version, trial or not, floor. */
        String describe() {
            return "slot " + slot() + " " + version() + " (security version " + securityVersion() + ", "
                    + (trial() ? "on trial" : "good") + ", floor " + floor + ")";
        }
    }

    private BootCheck() {
    }

    /**
     * Boots {@code device} as the launcher does and checks it.
     *
     * @param expectedConfig a directory with {@code safety/} and {@code app/}: every configuration
     *                       file the device may hold, with the content it must have
     */
    static Booted boot(DeviceLayout device, String board, Path expectedConfig) throws Failed {
        SlotStore store = new SlotStore(device, board, FileOps.REAL, Clock.systemUTC());
        SlotStore.Selected s;
        try {
            s = store.select();
        } catch (SlotRejectedException | IOException e) {
            throw new Failed("no verified image boots: " + e.getMessage());
        }
        try {
            BootEvents.verified(device, s.boot());
            store.copyMissingDefaults(s.boot());
        } catch (IOException e) {
            throw new Failed("the boot of slot " + s.slot() + " could not be counted, logged or given its defaults: " + e.getMessage());
        }
        if (s.slot() == Slot.R) {
            throw new Failed("fell back to the recovery image: slots A and B were both lost (" + String.join("; ", s.fallbacks()) + ")");
        }
        BootState st;
        long floor;
        try {
            st = store.state();
            floor = store.floor();
        } catch (IOException e) {
            throw new Failed("boot state or floor unreadable after the boot: " + e.getMessage());
        }
        SlotRecord rec = st.slot(s.slot());
        if (s.trial()) {
            if (rec.state() != SlotState.TRIAL || st.trial().map(t -> t.slot() != s.slot()).orElse(true)) {
                throw new Failed("slot " + s.slot() + " booted on trial, but the boot state says " + rec.state().id() + ", trial "
                        + st.trial().map(t -> t.slot().id()).orElse("none"));
            }
        } else if (rec.state() != SlotState.GOOD) {
            throw new Failed("slot " + s.slot() + " booted as a good slot, but the boot state says " + rec.state().id());
        }
        String sha = s.boot().image().manifestSha256();
        if (rec.image().map(i -> !i.manifestSha256().equals(sha)).orElse(true)) {
            throw new Failed("slot " + s.slot() + " booted image " + s.boot().image().manifest().version()
                    + " but its record names " + rec.image().map(BootState.ImageInfo::version).orElse("no image"));
        }
        slotsHoldTheirRecords(device, board, st, s.slot());
        noLeftovers(device);
        configuration(device, s.boot(), expectedConfig);
        securityLog(device);
        return new Booted(s, floor);
    }

    /** Every slot recorded good or on trial holds the image its record names, and it verifies ({@code booted} did already). */
    static void slotsHoldTheirRecords(DeviceLayout device, String board, BootState st, Slot booted) throws Failed {
        for (Slot slot : Slot.values()) {
            SlotRecord r = st.slot(slot);
            if (slot == booted || (r.state() != SlotState.GOOD && r.state() != SlotState.TRIAL) || r.image().isEmpty()) {
                continue;
            }
            BootVerifier.Boot b;
            try {
                // the floor is the boot's business (a good slot below it is refused then); here: the image itself
                b = BootVerifier.verify(device, slot.id(), board, OptionalLong.of(0));
            } catch (SlotRejectedException e) {
                throw new Failed("slot " + slot + " is recorded " + r.state().id() + " with " + r.image().get().version()
                        + ", but its image does not verify: " + e.getMessage());
            }
            if (!b.image().manifestSha256().equals(r.image().get().manifestSha256())) {
                throw new Failed("slot " + slot + " holds " + b.image().manifest().version() + ", its record names "
                        + r.image().get().version());
            }
        }
    }

    static void noLeftovers(DeviceLayout device) throws Failed {
        try (Stream<Path> s = Files.list(device.slots())) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            if (!hidden.isEmpty()) {
                throw new Failed("left over after the boot under " + device.slots() + ": " + hidden);
            }
        } catch (IOException e) {
            throw new Failed("cannot list " + device.slots() + ": " + e.getMessage());
        }
        if (Files.exists(device.root().resolve(".boot-state.new"))) {
            throw new Failed("a half-written boot state is left after the boot");
        }
    }

    static void configuration(DeviceLayout device, BootVerifier.Boot booted, Path expectedConfig) throws Failed {
        for (BundleDomain d : BundleDomain.values()) {
            Path dir = device.configDir(d);
            Path expected = expectedConfig.resolve(d.id());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                    Path e = expected.resolve(f.getFileName().toString());
                    if (!Files.isRegularFile(e)) {
                        throw new Failed("configuration file " + f + " should not exist");
                    }
                    byte[] have = Files.readAllBytes(f);
                    byte[] want = Files.readAllBytes(e);
                    if (!Arrays.equals(have, want)) {
                        throw new Failed("configuration file " + f + " lost its content: " + have.length + " bytes '"
                                + clip(new String(have, java.nio.charset.StandardCharsets.UTF_8)) + "', it must be " + want.length
                                + " bytes '" + clip(new String(want, java.nio.charset.StandardCharsets.UTF_8)) + "'");
                    }
                }
            } catch (IOException e) {
                throw new Failed("cannot read the configuration under " + dir + ": " + e.getMessage());
            }
            for (VerifiedFile f : booted.image().config(d)) {
                Path t = dir.resolve(Path.of(f.path()).getFileName().toString());
                if (!Files.isRegularFile(t)) {
                    throw new Failed("the booted image's default " + d.id() + "/" + t.getFileName() + " is missing");
                }
            }
        }
    }

    static void securityLog(DeviceLayout device) throws Failed {
        try {
            VerifyReport r = SecurityLog.verify(SecurityLog.fileOf(device.root()));
            if (!r.ok()) {
                throw new Failed("the security log's chain is broken: " + r.summary());
            }
        } catch (IOException e) {
            throw new Failed("cannot read the security log: " + e.getMessage());
        }
    }

    private static String clip(String s) {
        String t = s.replace("\n", "\\n");
        return t.length() <= 60 ? t : t.substring(0, 60) + "…";
    }
}
