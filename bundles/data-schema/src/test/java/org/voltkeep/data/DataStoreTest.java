package org.voltkeep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voltkeep.data.Ledger.Entry;
import org.voltkeep.data.StoreChange.Kind;
import org.voltkeep.json.Json;

class DataStoreTest {
    @TempDir
    Path data;

    Path store() {
        return data.resolve("ledger");
    }

    List<StoreChange> seen = Collections.synchronizedList(new ArrayList<>());

    StoreListener recorder() {
        return seen::add;
    }

    List<Kind> kinds() {
        return seen.stream().map(StoreChange::kind).toList();
    }

    /** The data directory without lock files: they hold no data and an open may leave one. */
    Map<String, String> dataTree() throws IOException {
        Map<String, String> t = new TreeMap<>(Trees.snapshot(data));
        t.keySet().removeIf(k -> k.endsWith(".lock"));
        return t;
    }

    static Json.Obj schemaJson(Path dir) throws IOException {
        return Json.parseObject(Files.readString(dir.resolve(DataStore.SCHEMA_FILE)));
    }

    @Test
    void aNewStoreIsMadeWithItsVersionAndOpeningItAgainChangesNothing() throws IOException {
        OpenedStore s = DataStore.open(store(), Ledger.V1, recorder());
        assertThat(s.dir()).isEqualTo(store());
        assertThat(s.version()).isEqualTo(SchemaVersion.of(1, 0));
        assertThat(kinds()).containsExactly(Kind.CREATED);
        Json.Obj schema = schemaJson(store());
        assertThat(schema.string("store")).isEqualTo("ledger");
        assertThat(schema.integer("major")).isEqualTo(1);
        assertThat(schema.integer("minor")).isZero();
        assertThat(Trees.names(store())).containsExactly("schema.json");

        Map<String, String> before = dataTree();
        OpenedStore again = DataStore.open(store(), Ledger.V1, recorder());
        assertThat(again.changes()).isEmpty();
        assertThat(dataTree()).isEqualTo(before);
    }

    @Test
    void aStoreFromBeforeVersionsWereRecordedIsOneZeroAndItsFilesStayAsTheyAre() throws IOException {
        Ledger.append(1, store(), Ledger.entries(3, 1));
        byte[] records = Files.readAllBytes(store().resolve("records.txt"));

        OpenedStore s = DataStore.open(store(), Ledger.V1, recorder());

        assertThat(kinds()).containsExactly(Kind.VERSION_RECORDED);
        assertThat(s.version()).isEqualTo(SchemaVersion.UNRECORDED);
        assertThat(Files.readAllBytes(store().resolve("records.txt"))).isEqualTo(records);
        assertThat(schemaJson(store()).integer("major")).isEqualTo(1);

        // and an image of the next major migrates it like any other store of major 1
        DataStore.open(store(), Ledger.V2, recorder());
        assertThat(Ledger.read(2, store())).isEqualTo(Ledger.entries(3, 1));
        assertThat(Ledger.read(1, DataStore.keptCopy(store(), 1))).isEqualTo(Ledger.entries(3, 1));
    }

    @Test
    void aNewerMinorIsReadAsItIsAndItsVersionIsNeverLowered() throws IOException {
        StoreSchema v1dot3 = StoreSchema.of("ledger", SchemaVersion.of(1, 3));
        DataStore.open(store(), v1dot3, StoreListener.NONE);
        Ledger.append(1, store(), Ledger.entries(2, 1));
        Map<String, String> before = dataTree();

        OpenedStore older = DataStore.open(store(), Ledger.V1, recorder());

        assertThat(older.version()).as("the version recorded, newer than the reader's").isEqualTo(SchemaVersion.of(1, 3));
        assertThat(older.changes()).isEmpty();
        assertThat(dataTree()).isEqualTo(before);
        assertThat(Ledger.read(1, store())).isEqualTo(Ledger.entries(2, 1));
    }

    @Test
    void anOlderMinorIsRaisedToTheReadersMinor() throws IOException {
        DataStore.open(store(), Ledger.V1, StoreListener.NONE);
        OpenedStore s = DataStore.open(store(), StoreSchema.of("ledger", SchemaVersion.of(1, 2)), recorder());
        assertThat(kinds()).containsExactly(Kind.VERSION_RECORDED);
        assertThat(s.version()).isEqualTo(SchemaVersion.of(1, 2));
        assertThat(schemaJson(store()).integer("minor")).isEqualTo(2);
    }

    @Test
    void majorMigrationsRunInOrderAndKeepTheStoreAsItWasBeforeEachStep() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(5, 1));
        byte[] v1Records = Files.readAllBytes(store().resolve("records.txt"));

        OpenedStore s = DataStore.open(store(), Ledger.V3, recorder());

        assertThat(kinds()).containsExactly(Kind.KEPT, Kind.MIGRATED, Kind.KEPT, Kind.MIGRATED);
        assertThat(seen.get(1).version()).isEqualTo(SchemaVersion.of(2, 0));
        assertThat(seen.get(3).version()).isEqualTo(SchemaVersion.of(3, 0));
        assertThat(s.version()).isEqualTo(SchemaVersion.of(3, 0));
        assertThat(Ledger.read(3, store())).isEqualTo(Ledger.entries(5, 1));
        assertThat(Files.readAllBytes(DataStore.keptCopy(store(), 1).resolve("records.txt"))).isEqualTo(v1Records);
        assertThat(Ledger.read(2, DataStore.keptCopy(store(), 2))).isEqualTo(Ledger.entries(5, 1));
        assertThat(Trees.names(data)).containsExactly(".ledger.lock", "ledger", "ledger.kept-v1", "ledger.kept-v2");
    }

    @Test
    void anOlderImageReturnsToItsKeptCopyAndTheNewerStoreIsSetAsideNotDeleted() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(4, 1));
        DataStore.open(store(), Ledger.V3, StoreListener.NONE);
        Ledger.append(3, store(), Ledger.entries(2, 100));

        OpenedStore older = DataStore.open(store(), Ledger.V1, recorder());

        assertThat(older.version()).isEqualTo(SchemaVersion.of(1, 0));
        assertThat(Ledger.read(1, store())).as("every record the older image wrote").isEqualTo(Ledger.entries(4, 1));
        assertThat(kinds()).containsExactly(Kind.SET_ASIDE, Kind.SET_ASIDE, Kind.RESTORED);
        Path newer = data.resolve("ledger.set-aside-v3");
        List<Entry> all = new ArrayList<>(Ledger.entries(4, 1));
        all.addAll(Ledger.entries(2, 100));
        assertThat(Ledger.read(3, newer)).as("what the newer image wrote is still on disk").isEqualTo(all);
        assertThat(Trees.names(data)).containsExactly(".ledger.lock", "ledger", "ledger.set-aside-v2", "ledger.set-aside-v3");
    }

    @Test
    void updatingAgainAfterAReturnMigratesWhatTheOlderImageAddedMeanwhile() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(3, 1));
        DataStore.open(store(), Ledger.V2, StoreListener.NONE);
        DataStore.open(store(), Ledger.V1, StoreListener.NONE);
        Ledger.append(1, store(), Ledger.entries(2, 50));

        DataStore.open(store(), Ledger.V2, recorder());

        List<Entry> all = new ArrayList<>(Ledger.entries(3, 1));
        all.addAll(Ledger.entries(2, 50));
        assertThat(Ledger.read(2, store())).isEqualTo(all);
        assertThat(Ledger.read(1, DataStore.keptCopy(store(), 1))).isEqualTo(all);
        assertThat(kinds()).containsExactly(Kind.KEPT, Kind.MIGRATED);
        assertThat(data.resolve("ledger.set-aside-v2")).as("the first update's store").isDirectory();
    }

    @Test
    void aNewerMajorWithoutAKeptCopyIsRefusedNamingTheFileAndVersionsAndNothingChanges() throws IOException {
        DataStore.open(store(), StoreSchema.of("ledger", SchemaVersion.of(2, 1)), StoreListener.NONE);
        Ledger.append(2, store(), Ledger.entries(2, 1));
        Map<String, String> before = dataTree();

        assertThatThrownBy(() -> DataStore.open(store(), Ledger.V1, recorder()))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining(store().resolve("schema.json").toString())
                .hasMessageContaining("version 2.1")
                .hasMessageContaining("reads major 1")
                .hasMessageContaining("ledger.kept-v1")
                .hasMessageContaining("nothing was changed");
        assertThat(dataTree()).isEqualTo(before);
        assertThat(seen).isEmpty();
        assertThatThrownBy(() -> DataStore.readable(store(), Ledger.V1)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("version 2.1");
    }

    @Test
    void aStoreThatMustNotReturnToAnOlderCopyIsRefusedEvenWithOne() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(2, 1));
        DataStore.open(store(), Ledger.V2, StoreListener.NONE);
        Map<String, String> before = dataTree();
        StoreSchema refusing = new StoreSchema("ledger", SchemaVersion.of(1, 0), List.of(), StoreSchema.OnNewerMajor.REFUSE);

        assertThatThrownBy(() -> DataStore.open(store(), refusing, recorder()))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("version 2.0")
                .hasMessageContaining("never returns to an older copy");
        assertThatThrownBy(() -> DataStore.readable(store(), refusing)).isInstanceOf(StoreRefusedException.class);
        assertThat(dataTree()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"store\":\"sessions\",\"major\":1,\"minor\":0}",
        "{\"store\":\"ledger\",\"major\":0,\"minor\":0}",
        "{\"store\":\"ledger\",\"minor\":0}",
        "{\"store\":\"ledger\",\"major\":\"1\",\"minor\":0}",
        "not json",
        ""})
    void anotherStoresDirectoryOrADamagedSchemaFileIsRefusedAndNothingChanges(String content) throws IOException {
        Ledger.append(1, store(), Ledger.entries(2, 1));
        Files.writeString(store().resolve("schema.json"), content, StandardCharsets.UTF_8);
        Map<String, String> before = dataTree();

        assertThatThrownBy(() -> DataStore.open(store(), Ledger.V1, recorder()))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining(store().resolve("schema.json").toString())
                .hasMessageContaining("nothing was changed");
        assertThat(dataTree()).isEqualTo(before);
    }

    @Test
    void keysANewerVersionAddsToTheSchemaFileAreIgnored() throws IOException {
        Files.createDirectories(store());
        Files.writeString(store().resolve("schema.json"),
                "{\"store\":\"ledger\",\"major\":1,\"minor\":4,\"writtenBy\":\"2.0.0\",\"notes\":[1,2]}");
        assertThat(DataStore.open(store(), Ledger.V1, recorder()).version()).isEqualTo(SchemaVersion.of(1, 4));
        assertThat(seen).isEmpty();
    }

    @Test
    void aFailingMigrationKeepsTheStoreAndTheNextOpenOfEitherImageFinishesTheJob() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(6, 1));
        Migration broken = Migration.of(1, 2, (source, target) -> {
            Files.writeString(target.resolve("records.jsonl"), "{\"id\":\"s1\"");
            throw new IOException("disk full");
        });

        assertThatThrownBy(() -> DataStore.open(store(), StoreSchema.of("ledger", SchemaVersion.of(2, 0), broken), recorder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("from major 1 to 2 failed: disk full")
                .hasMessageContaining("ledger.kept-v1");
        assertThat(Trees.names(data)).as("no half-written store, no staging left")
                .containsExactly(".ledger.lock", "ledger.kept-v1");

        DataStore.open(store(), Ledger.V2, recorder());
        assertThat(Ledger.read(2, store())).isEqualTo(Ledger.entries(6, 1));
    }

    @Test
    void anOlderImageAfterAFailedMigrationReturnsToTheKeptCopy() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(6, 1));
        Migration broken = Migration.of(1, 2, (source, target) -> {
            throw new IllegalStateException("bug in the migration");
        });
        assertThatThrownBy(() -> DataStore.open(store(), StoreSchema.of("ledger", SchemaVersion.of(2, 0), broken), StoreListener.NONE))
                .hasMessageContaining("bug in the migration");

        DataStore.open(store(), Ledger.V1, recorder());

        assertThat(kinds()).containsExactly(Kind.RESTORED);
        assertThat(Ledger.read(1, store())).isEqualTo(Ledger.entries(6, 1));
    }

    @Test
    void aDirectoryMadeByOthersWhileAMigrationWasUnfinishedDoesNotHideTheKeptCopy() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(4, 1));
        Files.move(store(), DataStore.keptCopy(store(), 1));
        // cut short here; then the launcher copies a default file into a directory it makes
        Files.createDirectories(store());
        Files.writeString(store().resolve("default.cfg"), "x=1\n");

        DataStore.open(store(), Ledger.V2, recorder());

        assertThat(Ledger.read(2, store())).isEqualTo(Ledger.entries(4, 1));
        assertThat(kinds()).containsExactly(Kind.SET_ASIDE, Kind.MIGRATED);
        assertThat(data.resolve("ledger.set-aside-v1/default.cfg")).content().isEqualTo("x=1\n");

        // the same for an older image returning: its copy is what it reads
        Ledger.makeV1(data.resolve("other"), Ledger.entries(3, 1));
        DataStore.open(data.resolve("other"), Ledger.V2, StoreListener.NONE);
        Files.move(data.resolve("other"), data.resolve("other.set-aside-v2"));
        Files.createDirectories(data.resolve("other"));
        DataStore.open(data.resolve("other"), Ledger.V1, StoreListener.NONE);
        assertThat(Ledger.read(1, data.resolve("other"))).isEqualTo(Ledger.entries(3, 1));
    }

    @Test
    void readableGivesTheKeptCopyForANewerStoreWithoutChangingAnything() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(3, 1));
        assertThat(DataStore.readable(store(), Ledger.V1)).isEqualTo(store());
        DataStore.open(store(), Ledger.V2, StoreListener.NONE);
        Map<String, String> before = dataTree();

        Path read = DataStore.readable(store(), Ledger.V1);

        assertThat(read).isEqualTo(DataStore.keptCopy(store(), 1));
        assertThat(Ledger.read(1, read)).isEqualTo(Ledger.entries(3, 1));
        assertThat(dataTree()).isEqualTo(before);
        assertThat(DataStore.readable(data.resolve("nothing"), Ledger.V1)).isEqualTo(data.resolve("nothing"));
    }

    @Test
    void openExistingDoesNotMakeAMissingStoreButFinishesAnInterruptedOne() throws IOException {
        Path nowhere = data.resolve("absent/ledger");
        assertThatThrownBy(() -> DataStore.openExisting(nowhere, Ledger.V1, recorder())).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no data store ledger");
        assertThat(data.resolve("absent")).as("not even the parent or a lock file is made").doesNotExist();

        Ledger.makeV1(store(), Ledger.entries(2, 1));
        Files.move(store(), DataStore.keptCopy(store(), 1));
        DataStore.openExisting(store(), Ledger.V2, recorder());
        assertThat(Ledger.read(2, store())).isEqualTo(Ledger.entries(2, 1));
    }

    @Test
    void twoThreadsOpeningAtOnceMigrateOnce() throws Exception {
        Ledger.makeV1(store(), Ledger.entries(50, 1));
        CountDownLatch inside = new CountDownLatch(1);
        Migration slow = Migration.of(1, 2, (source, target) -> {
            inside.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Ledger.ONE_TO_TWO.migrate(source, target);
        });
        StoreSchema v2 = StoreSchema.of("ledger", SchemaVersion.of(2, 0), slow);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<OpenedStore> a = pool.submit(() -> DataStore.open(store(), v2, recorder()));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            Future<OpenedStore> b = pool.submit(() -> DataStore.open(store(), v2, recorder()));
            assertThat(a.get(20, TimeUnit.SECONDS).version()).isEqualTo(SchemaVersion.of(2, 0));
            assertThat(b.get(20, TimeUnit.SECONDS).version()).isEqualTo(SchemaVersion.of(2, 0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(kinds()).containsExactly(Kind.KEPT, Kind.MIGRATED);
        assertThat(Ledger.read(2, store())).isEqualTo(Ledger.entries(50, 1));
    }

    @Test
    void schemasWithAGapOrASkipInTheirMigrationsAreRefused() {
        assertThatThrownBy(() -> StoreSchema.of("ledger", SchemaVersion.of(3, 0), Ledger.ONE_TO_TWO))
                .hasMessageContaining("expected a step to 3");
        assertThatThrownBy(() -> StoreSchema.of("ledger", SchemaVersion.of(3, 0), Migration.of(1, 3, (s, t) -> { })))
                .hasMessageContaining("skips a major");
        assertThatThrownBy(() -> StoreSchema.of("Ledger Store", SchemaVersion.of(1, 0))).hasMessageContaining("store name");
        assertThat(Ledger.V3.oldestMajor()).isEqualTo(1);
        assertThat(StoreSchema.of("ledger", SchemaVersion.of(3, 0), Ledger.TWO_TO_THREE, Ledger.ONE_TO_TWO).migrations())
                .extracting(Migration::fromMajor).containsExactly(1, 2);
    }

    @Test
    void aStoreOlderThanTheOldestMigrationIsRefused() throws IOException {
        Ledger.makeV1(store(), Ledger.entries(1, 1));
        StoreSchema onlyFromTwo = StoreSchema.of("ledger", SchemaVersion.of(3, 0), Ledger.TWO_TO_THREE);
        Map<String, String> before = dataTree();
        assertThatThrownBy(() -> DataStore.open(store(), onlyFromTwo, recorder())).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("version 1.0, older than this image can migrate (it reads majors 2 to 3)");
        assertThat(dataTree()).isEqualTo(before);
    }
}
