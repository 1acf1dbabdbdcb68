package org.voltkeep.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.voltkeep.data.Ledger.Entry;

/**
 * A power cut at any point of a migration (1 → 2 → 3) or of a return to a kept
 * copy loses nothing: whichever image starts next, the newer one finishes the
 * migration and the older one returns to its copy, each with every record.
 */
class InterruptedMigrationTest {
    static final List<Entry> RECORDS = Ledger.entries(9, 1);

    @TempDir
    Path data;

    Path store() {
        return data.resolve("ledger");
    }

    Path kept(int major) {
        return DataStore.keptCopy(store(), major);
    }

    /** What the data directory holds right after each atomic operation (or in the middle of writing a staging directory). */
    enum Point {
        NOTHING_DONE_YET,
        STORE_KEPT_AS_V1,
        STAGING_V2_HALF_WRITTEN,
        STEP_1_TO_2_COMMITTED,
        STORE_KEPT_AS_V2,
        STAGING_V3_HALF_WRITTEN,
        STAGING_V3_COMPLETE_NOT_RENAMED,
        MIGRATION_DONE,
        RETURN_NEWER_SET_ASIDE,
        RETURN_KEPT_V2_SET_ASIDE
    }

    void bringTo(Point point) throws IOException {
        Ledger.makeV1(store(), RECORDS);
        int step = point.ordinal();
        if (step >= Point.STORE_KEPT_AS_V1.ordinal()) {
            Files.move(store(), kept(1));
        }
        if (step == Point.STAGING_V2_HALF_WRITTEN.ordinal()) {
            Ledger.append(2, data.resolve(".ledger.staging-v2"), RECORDS.subList(0, 4));
        }
        if (step >= Point.STEP_1_TO_2_COMMITTED.ordinal()) {
            Ledger.append(2, store(), RECORDS);
            writeSchema(store(), 2);
        }
        if (step >= Point.STORE_KEPT_AS_V2.ordinal()) {
            Files.move(store(), kept(2));
        }
        if (step == Point.STAGING_V3_HALF_WRITTEN.ordinal()) {
            Ledger.append(3, data.resolve(".ledger.staging-v3"), RECORDS.subList(0, 4));
        }
        if (step == Point.STAGING_V3_COMPLETE_NOT_RENAMED.ordinal()) {
            Ledger.append(3, data.resolve(".ledger.staging-v3"), RECORDS);
            writeSchema(data.resolve(".ledger.staging-v3"), 3);
        }
        if (step >= Point.MIGRATION_DONE.ordinal()) {
            Ledger.append(3, store(), RECORDS);
            writeSchema(store(), 3);
        }
        if (step >= Point.RETURN_NEWER_SET_ASIDE.ordinal()) {
            Files.move(store(), data.resolve("ledger.set-aside-v3"));
        }
        if (step >= Point.RETURN_KEPT_V2_SET_ASIDE.ordinal()) {
            Files.move(kept(2), data.resolve("ledger.set-aside-v2"));
        }
    }

    static void writeSchema(Path dir, int major) throws IOException {
        Files.writeString(dir.resolve("schema.json"), "{\"store\":\"ledger\",\"major\":" + major + ",\"minor\":0}\n");
    }

    @ParameterizedTest
    @EnumSource(Point.class)
    void theNewerImageFinishesTheMigrationWithEveryRecord(Point point) throws IOException {
        bringTo(point);

        OpenedStore s = DataStore.open(store(), Ledger.V3, StoreListener.NONE);

        assertThat(s.version()).isEqualTo(SchemaVersion.of(3, 0));
        assertThat(Ledger.read(3, store())).isEqualTo(RECORDS);
        assertThat(Ledger.read(1, kept(1))).as("the copy an older image returns to").isEqualTo(RECORDS);
        assertThat(Trees.names(data)).noneMatch(n -> n.contains("staging"));
    }

    @ParameterizedTest
    @EnumSource(Point.class)
    void theOlderImageReturnsToItsCopyWithEveryRecord(Point point) throws IOException {
        bringTo(point);

        OpenedStore s = DataStore.open(store(), Ledger.V1, StoreListener.NONE);

        assertThat(s.version()).isEqualTo(SchemaVersion.of(1, 0));
        assertThat(Ledger.read(1, store())).isEqualTo(RECORDS);
    }

    /** A real process cut dead at each point; the next start (of either image) carries on. */
    @ParameterizedTest
    @ValueSource(strings = {"after-kept-1", "after-migrated-to-2", "after-kept-2", "inside-step-2-3", "after-migrated-to-3"})
    void aProcessKilledMidMigrationLosesNothing(String haltAt) throws Exception {
        Ledger.makeV1(store(), RECORDS);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MigrateMain.class.getName(), store().toString(), haltAt)
                .redirectErrorStream(true).redirectOutput(data.resolve("child.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(data.resolve("child.out"))).isEqualTo(MigrateMain.HALTED);
        Files.delete(data.resolve("child.out"));

        Path olderImageData = Files.createTempDirectory(data.getParent(), "older");
        try {
            copyTree(data, olderImageData);
            Path olderStore = olderImageData.resolve("ledger");
            DataStore.open(olderStore, Ledger.V1, StoreListener.NONE);
            assertThat(Ledger.read(1, olderStore)).as("older image after the cut at " + haltAt).isEqualTo(RECORDS);
        } finally {
            deleteTree(olderImageData);
        }

        DataStore.open(store(), Ledger.V3, StoreListener.NONE);
        assertThat(Ledger.read(3, store())).as("newer image after the cut at " + haltAt).isEqualTo(RECORDS);
        assertThat(Ledger.read(2, kept(2))).isEqualTo(RECORDS);
        assertThat(Ledger.read(1, kept(1))).isEqualTo(RECORDS);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
