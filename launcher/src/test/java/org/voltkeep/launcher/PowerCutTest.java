package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.BundleDomain;

/**
 * Power cuts in the spirit of MCUboot's simulator: each sequence that changes the slots
 * (an install that is committed, one whose trial fails and is rolled back, one whose
 * trial never gets a verdict and runs out of attempts) is run once to count its file
 * operations, then once per operation with the power cut right before it, and once
 * more after the last one (for a commit: before the root of trust's floor rises).
 *
 * <p>Each cut yields several disk states ({@link PowerCutFileOps}): what a crashed
 * process leaves, and what a power cut leaves when directory changes not yet made
 * durable by a directory fsync are lost (any prefix of them) and file content not yet
 * fsynced is lost. Each distinct state then boots as the launcher boots
 * ({@link BootCheck}): a verified image that its record names, A or B never R, every
 * good or trial slot holding its recorded image, no leftovers, the device's own
 * configuration edit and the images' defaults intact, the security log's chain whole.
 * Then the device carries on (a trial gets the sequence's verdict, an interrupted
 * commit sequence is installed again) and must end where the sequence meant it to,
 * with the anti-rollback floor to match.
 *
 * <p>The counts go to the test output and to {@code target/power-cut-report.txt}.
 */
class PowerCutTest {
    /** Boot-state times do not depend on when a cut ran, so equal disk states are equal files. */
    static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    static final String DEVICE_EDIT = "# edited on this device\ngreeting=hello from the device\n";

    @TempDir
    static Path shared;
    static TestImages images;
    static final Map<String, String> report = new LinkedHashMap<>();
    /** Operations, cuts, disk states, distinct states: summed over every sequence run. */
    static final int[] totals = new int[4];

    @TempDir
    Path dir;

    enum Verdict {
        /** The health check passes: commit, floor raised. */
        COMMIT,
        /** The health check fails: rollback, reboot into the previous slot. */
        ROLL_BACK,
        /** The launcher dies during every trial boot (1 attempt): the next boot rolls back. */
        OUT_OF_ATTEMPTS
    }

    /** One sequence: from a template device booted from {@code booted}, install {@code image} and give the trial its verdict. */
    record Sequence(String name, String what, DeviceLayout template, Slot booted, Path image, Verdict verdict) {
    }

    @BeforeAll
    static void images() throws Exception {
        images = new TestImages(shared);
    }

    @AfterAll
    static void writeReport() throws IOException {
        if (report.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("# power cuts: every file operation of install, activate, trial boot, commit and rollback\n")
                .append("# (PowerCutTest; cut k = power lost after k operations; each cut gives the crashed-process state and every\n")
                .append("# power-cut state: per directory any prefix of its changes not yet fsynced, not-fsynced file contents emptied)\n");
        report.values().forEach(v -> sb.append(v).append('\n'));
        sb.append(String.format("total: %d sequences, %d file operations, %d cuts, %d disk states, %d distinct booted and checked, 0 failures%n",
                report.size(), totals[0], totals[1], totals[2], totals[3]));
        Path out = Path.of(System.getProperty("basedir", ".")).resolve("target/power-cut-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
        System.out.print(sb);
    }

    @Test
    void everyCutOfAnInstallThatIsCommittedBootsAVerifiedImageAndKeepsTheConfiguration() throws Exception {
        DeviceLayout fresh = fresh(dir.resolve("fresh"));
        DeviceLayout updated = updated(fresh, dir.resolve("updated"));
        cutEverywhere(new Sequence("commit-into-empty-b", "install 2.0.0 into empty slot B, activate, trial boot, commit",
                fresh, Slot.A, images.imageAddingDefault("2.0.0", 2), Verdict.COMMIT));
        cutEverywhere(new Sequence("commit-over-rollback-image", "install 3.0.0 into slot A (which held the rollback image), activate, trial boot, commit",
                updated, Slot.B, images.imageAddingDefault("3.0.0", 3), Verdict.COMMIT));
    }

    @Test
    void everyCutOfAnInstallWhoseTrialFailsIsRolledBackToTheVerifiedPreviousImage() throws Exception {
        DeviceLayout fresh = fresh(dir.resolve("fresh"));
        DeviceLayout updated = updated(fresh, dir.resolve("updated"));
        cutEverywhere(new Sequence("rollback-after-failed-health-check", "install 2.1.0 into slot B, activate, trial boot, health check fails: rollback, reboot into A",
                fresh, Slot.A, images.imageAddingDefault("2.1.0", 2), Verdict.ROLL_BACK));
        cutEverywhere(new Sequence("rollback-out-of-attempts", "install 3.1.0 into slot A, activate (1 attempt), trial boot dies, next boot rolls back to B",
                updated, Slot.B, images.imageAddingDefault("3.1.0", 3), Verdict.OUT_OF_ATTEMPTS));
    }

    // ---- devices ----------------------------------------------------------------------------

    /** Slot A 1.0.0 (security version 1) good and primary, R a recovery image, and a configuration file the device edited. */
    private DeviceLayout fresh(Path root) throws Exception {
        DeviceLayout d = images.device(root);
        SlotStore store = new SlotStore(d, TestImages.BOARD, FileOps.REAL, FIXED);
        store.installFactory(images.image("1.0.0", 1));
        store.installRecovery(images.image("0.9.0", 1));
        Files.writeString(d.configDir(BundleDomain.APP).resolve("org.example.core.cfg"), DEVICE_EDIT);
        return d;
    }

    /** {@code fresh} after a committed update: 2.0.0 (security version 2) good and primary in B, 1.0.0 still in A. */
    private DeviceLayout updated(DeviceLayout fresh, Path root) throws Exception {
        PowerCutFileOps.copyTree(fresh.root(), root);
        DeviceLayout d = new DeviceLayout(root);
        SlotStore store = new SlotStore(d, TestImages.BOARD, FileOps.REAL, FIXED);
        store.install(images.imageAddingDefault("2.0.0", 2), Slot.A, SlotStore.Progress.NONE);
        store.activate(Slot.A, 3);
        SlotStore.Selected t = store.select();
        store.commit(t.slot(), t.boot(), "health check passed");
        assertThat(store.state().primary()).isEqualTo(Slot.B);
        assertThat(store.floor()).isEqualTo(2);
        return d;
    }

    /** Every configuration file a device of these tests may hold, with the content it must have. */
    private Path expectedConfig() throws IOException {
        Path e = dir.resolve("expected-config");
        if (!Files.isDirectory(e)) {
            Files.createDirectories(e.resolve("safety"));
            Files.createDirectories(e.resolve("app"));
            Files.copy(images.defaultConfig(BundleDomain.SAFETY, "org.example.safety.cfg"), e.resolve("safety/org.example.safety.cfg"));
            Files.writeString(e.resolve("app/org.example.core.cfg"), DEVICE_EDIT);
            Files.copy(images.extraDefault(), e.resolve("app").resolve(TestImages.EXTRA_DEFAULT));
        }
        return e;
    }

    // ---- one sequence --------------------------------------------------------------------------

    /** What a run of a sequence left to know: the counter file as it was right before the commit's floor raise. */
    private static final class Run {
        byte[] countersBeforeCommit;
    }

    private static void run(Sequence s, DeviceLayout d, PowerCutFileOps ops, Run r) throws Exception {
        SlotStore store = new SlotStore(d, TestImages.BOARD, ops, FIXED);
        ops.phase("install");
        store.install(s.image(), s.booted(), SlotStore.Progress.NONE);
        ops.phase("activate");
        store.activate(s.booted(), s.verdict() == Verdict.OUT_OF_ATTEMPTS ? 1 : 3);
        ops.phase("trial boot");
        SlotStore.Selected trial = store.select();
        if (!trial.trial()) {
            throw new AssertionError(s.name() + ": the trial boot booted " + trial.reason());
        }
        switch (s.verdict()) {
            case COMMIT -> {
                ops.phase("commit");
                r.countersBeforeCommit = Files.readAllBytes(d.rot().resolve("counters"));
                store.commit(trial.slot(), trial.boot(), "health check passed");
            }
            case ROLL_BACK -> {
                ops.phase("rollback");
                store.rollBack(trial.slot(), "health check did not pass within the trial window");
                ops.phase("reboot");
                store.select();
            }
            case OUT_OF_ATTEMPTS -> {
                // the launcher was killed during the trial boot: no verdict; the next boot rolls back
                ops.phase("reboot, rollback");
                store.select();
            }
        }
    }

    private void cutEverywhere(Sequence s) throws Exception {
        BootState before = BootState.read(s.template());
        String oldVersion = before.slot(s.booted()).image().orElseThrow().version();
        long oldFloor = images.store(s.template(), FileOps.REAL).floor();
        String newVersion = s.image().getFileName().toString().replaceAll("^v([^-]+)-.*$", "$1");
        long newSv = Long.parseLong(s.image().getFileName().toString().replaceAll("^v[^-]+-sv(\\d+).*$", "$1"));

        PowerCutFileOps whole = new PowerCutFileOps(copy(s.template(), dir.resolve(s.name() + "-whole")), Integer.MAX_VALUE);
        run(s, new DeviceLayout(dir.resolve(s.name() + "-whole")), whole, new Run());
        int total = whole.done();
        assertThat(total).as("%s: file operations", s.name()).isGreaterThan(10);
        assertThat(whole.perPhase().keySet()).as("every phase does file operations").allMatch(p -> whole.perPhase().get(p) > 0);

        Map<String, Integer> outcomes = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int states = 0;
        int maxLostChanges = 0;
        int maxLostFiles = 0;
        int cuts = 0;
        for (int cut = 0; cut <= total; cut++) {
            cuts++;
            DeviceLayout d = copy(s.template(), dir.resolve(s.name() + "-cut-" + cut));
            PowerCutFileOps ops = new PowerCutFileOps(d, cut);
            Run r = new Run();
            String where;
            try {
                run(s, d, ops, r);
                if (cut < total) {
                    fail("%s finished despite a cut after %d of %d operations", s.name(), cut, total);
                }
                where = "after the last operation";
                if (s.verdict() == Verdict.COMMIT) {
                    // the root of trust's counter is raised after the commit's last file operation: cut before it
                    Files.write(d.rot().resolve("counters"), r.countersBeforeCommit);
                    where = "after the last operation, before the floor rises";
                }
            } catch (PowerCutFileOps.PowerCut | InstallRejected e) {
                if (!(e instanceof PowerCutFileOps.PowerCut) && !(e.getCause() instanceof PowerCutFileOps.PowerCut)) {
                    throw e;
                }
                where = "in " + ops.cutIn();
            }
            maxLostChanges = Math.max(maxLostChanges, ops.changesNotDurable());
            maxLostFiles = Math.max(maxLostFiles, ops.filesNotDurable());
            for (Path state : ops.crashStates(d.root(), dir.resolve(s.name() + "-states-" + cut))) {
                states++;
                if (!seen.add(fingerprint(state))) {
                    continue;
                }
                String label = "cut " + cut + "/" + total + " (" + where + "), " + state.getFileName();
                String outcome = bootAndCarryOn(s, new DeviceLayout(state), label, oldVersion, oldFloor, newVersion, newSv);
                outcomes.merge(outcome, 1, Integer::sum);
            }
        }
        StringBuilder line = new StringBuilder(String.format("%-34s %3d operations (", s.name(), total));
        whole.perPhase().forEach((p, n) -> line.append(p).append(' ').append(n).append(", "));
        line.setLength(line.length() - 2);
        line.append(String.format("); %d cuts, %d disk states, %d distinct booted and checked, 0 failures; "
                + "at most %d directory changes and %d file contents not yet durable at a cut", cuts, states, seen.size(),
                maxLostChanges, maxLostFiles));
        totals[0] += total;
        totals[1] += cuts;
        totals[2] += states;
        totals[3] += seen.size();
        StringBuilder detail = new StringBuilder(line).append("\n    ").append(s.what());
        outcomes.forEach((o, n) -> detail.append(String.format("%n    %4d  %s", n, o)));
        report.put(s.name(), detail.toString());
        System.out.println("power cuts: " + line);
    }

    /**
     * Boots the state as the launcher would, checks it, then lets the device carry on: a
     * trial gets the sequence's verdict; an interrupted commit sequence is installed again.
     * It must end on the new image (commit) or the old one (rollback) with the floor to
     * match. Returns what happened, in words, for the report.
     */
    private String bootAndCarryOn(Sequence s, DeviceLayout d, String label, String oldVersion, long oldFloor, String newVersion,
            long newSv) throws Exception {
        Path expected = expectedConfig();
        BootCheck.Booted first = boot(d, expected, label);
        assertThat(first.version()).as("%s: %s", s.name(), label).isIn(oldVersion, newVersion);
        assertThat(first.floor()).as("%s: %s: floor", s.name(), label).isIn(oldFloor, newSv);
        String outcome = "boots " + first.version() + (first.trial() ? " on trial" : "");
        BootCheck.Booted now = first;
        for (int boots = 0; now.trial(); boots++) {
            assertThat(boots).as("%s: %s: the trial ends", s.name(), label).isLessThan(5);
            SlotStore store = images.store(d, FileOps.REAL);
            switch (s.verdict()) {
                case COMMIT -> store.commit(now.slot(), now.selected().boot(), "health check passed");
                case ROLL_BACK -> store.rollBack(now.slot(), "health check did not pass within the trial window");
                case OUT_OF_ATTEMPTS -> {
                    // killed again during the trial: nothing recorded, the next boot decides
                }
            }
            now = boot(d, expected, label + ", after the trial's verdict");
        }
        if (s.verdict() == Verdict.COMMIT && now.version().equals(oldVersion)) {
            outcome += ", the update installed again";
            SlotStore store = images.store(d, FileOps.REAL);
            store.install(s.image(), now.slot(), SlotStore.Progress.NONE);
            store.activate(now.slot(), 3);
            SlotStore.Selected t = store.select();
            assertThat(t.trial()).as("%s: %s: the retried update boots on trial", s.name(), label).isTrue();
            store.commit(t.slot(), t.boot(), "health check passed");
            now = boot(d, expected, label + ", after the update was installed again");
        }
        if (s.verdict() == Verdict.COMMIT) {
            assertThat(now.version()).as("%s: %s: ends on the new image", s.name(), label).isEqualTo(newVersion);
            assertThat(now.floor()).as("%s: %s: floor raised to the new image's", s.name(), label).isEqualTo(newSv);
        } else {
            assertThat(now.version()).as("%s: %s: ends on the previous image", s.name(), label).isEqualTo(oldVersion);
            assertThat(now.floor()).as("%s: %s: a rolled-back image never raises the floor", s.name(), label).isEqualTo(oldFloor);
            BootState st = BootState.read(d);
            for (Slot slot : new Slot[] {Slot.A, Slot.B}) {
                if (st.slot(slot).image().map(i -> i.version().equals(newVersion)).orElse(false)) {
                    assertThat(st.slot(slot).state()).as("%s: %s: the failing image is never good", s.name(), label)
                            .isNotEqualTo(SlotState.GOOD);
                }
            }
        }
        return outcome + ", ends on " + now.version() + " (floor " + now.floor() + ")";
    }

    private static BootCheck.Booted boot(DeviceLayout d, Path expected, String label) {
        try {
            return BootCheck.boot(d, TestImages.BOARD, expected);
        } catch (BootCheck.Failed e) {
            throw new AssertionError(label + ": " + e.getMessage(), e);
        }
    }

    /** The disk state as far as a boot can tell: every file and directory but the security log (its chain is checked) and run/. */
    private static String fingerprint(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.map(root::relativize).sorted().toList());
        }
        for (Path r : all) {
            String name = r.toString();
            if (name.startsWith("data/security") || name.startsWith("run")) {
                continue;
            }
            Path p = root.resolve(name);
            md.update(name.getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                md.update(Files.readAllBytes(p));
            } else {
                md.update((byte) 'D');
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static DeviceLayout copy(DeviceLayout from, Path to) throws IOException {
        PowerCutFileOps.copyTree(from.root(), to);
        return new DeviceLayout(to);
    }
}
