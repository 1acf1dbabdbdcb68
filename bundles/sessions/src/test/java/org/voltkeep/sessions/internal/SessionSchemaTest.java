package org.voltkeep.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.Migration;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionRecord;

/**
 * The session records across updates and rollbacks: what a newer image writes,
 * today's recorder (the older image after a rollback) still lists. The newer
 * images are test doubles of what the next versions of this store could be.
 */
class SessionSchemaTest {
    @TempDir
    Path data;
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private ChargerStatus previous = TestStatus.idle(0).build();

    @BeforeEach
    void sessionsDir() {
        dir = data.resolve("sessions");
    }

    private SessionRecorder recorder() {
        return new SessionRecorder(dir, 50, clock::get, Runnable::run);
    }

    private void feed(SessionRecorder r, TestStatus s) {
        ChargerStatus current = s.build();
        r.statusChanged(previous, current);
        previous = current;
        clock.addAndGet(2_000);
    }

    /** Today's recorder records sessions 41, 42, 43 (5, 12, 20 Wh) and leaves 44 running with 3 Wh. */
    private void recordThreeSessionsAndLeaveOneRunning() {
        SessionRecorder r = recorder();
        long t = 1_000;
        long[][] sessions = {{41, 5}, {42, 12}, {43, 20}};
        for (long[] s : sessions) {
            feed(r, TestStatus.charging(s[0], t, t, 0, 16_000).idTag("tag-" + s[0]));
            feed(r, TestStatus.charging(s[0], t, t + 500, s[1], 16_000).idTag("tag-" + s[0]));
            feed(r, TestStatus.idle(t + 900));
            t += 1_000;
        }
        feed(r, TestStatus.charging(44, t, t, 3, 10_000).idTag("tag-44"));
        r.deactivate();
    }

    private static List<Long> ids(List<SessionRecord> records) {
        return records.stream().map(SessionRecord::sessionId).toList();
    }

    private static List<Long> energies(List<SessionRecord> records) {
        return records.stream().map(SessionRecord::energyWh).toList();
    }

    // ---- (1) a newer minor: the same major with fields added ----

    /** Version 1.1 as a newer image could write it: every field of 1.0 plus some it adds. */
    private void writeAsNextMinor(long sessionId, long energyWh) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DataStore.SCHEMA_FILE), "{\"store\":\"sessions\",\"major\":1,\"minor\":1}\n");
        Json.Obj line = Json.object()
                .put("schemaVersion", 1)
                .put("sessionId", sessionId)
                .put("startBoardMillis", sessionId * 1_000)
                .put("endBoardMillis", sessionId * 1_000 + 900)
                .put("energyWh", energyWh)
                .put("peakCurrentMilliamps", 16_000)
                .put("idTag", "tag-" + sessionId)
                .put("endReason", "EV_DISCONNECTED")
                .put("faults", Json.array())
                .put("meterStartWh", 120_000 + sessionId)
                .put("tariff", Json.object().put("id", "night").put("centsPerKwh", 21))
                .put("phases", Json.array().add(1).add(2).add(3));
        Files.writeString(dir.resolve(SessionStore.RECORDS), line.write() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void recordsOfANewerMinorWithExtraFieldsAreListedWithTheirIdsAndEnergy() throws IOException {
        writeAsNextMinor(7, 4_200);
        writeAsNextMinor(8, 9_100);
        Files.writeString(dir.resolve(SessionStore.OPEN), Json.object()
                .put("schemaVersion", 1).put("sessionId", 9).put("startBoardMillis", 9_000).put("lastBoardMillis", 9_500)
                .put("energyWh", 300).put("peakCurrentMilliamps", 6_000).put("idTag", "tag-9").put("faults", Json.array())
                .put("lastState", "C2").put("stopCause", "").put("plannedDepartureMillis", 99_000).writePretty());
        byte[] newerLines = Files.readAllBytes(dir.resolve(SessionStore.RECORDS));

        SessionRecorder r = recorder();

        assertThat(ids(r.recent(10))).containsExactly(8L, 7L);
        assertThat(energies(r.recent(10))).containsExactly(9_100L, 4_200L);
        assertThat(r.recent(10).get(0).idTag()).isEqualTo("tag-8");
        assertThat(r.open()).get().satisfies(o -> {
            assertThat(o.sessionId()).isEqualTo(9);
            assertThat(o.energyWh()).isEqualTo(300);
        });

        // the running session ends under today's recorder: its record follows the newer ones, which stay as written
        feed(r, TestStatus.charging(9, 9_000, 9_800, 350, 6_000));
        feed(r, TestStatus.idle(9_900));
        assertThat(ids(r.recent(10))).containsExactly(9L, 8L, 7L);
        byte[] now = Files.readAllBytes(dir.resolve(SessionStore.RECORDS));
        assertThat(new String(now, 0, newerLines.length, StandardCharsets.UTF_8))
                .isEqualTo(new String(newerLines, StandardCharsets.UTF_8));
        assertThat(DataStore.recordedVersion(dir, "sessions")).as("never lowered").contains(SchemaVersion.of(1, 1));
        assertThat(ids(recorder().recent(10))).as("after a restart too").containsExactly(9L, 8L, 7L);
    }

    // ---- (2) and (3) a newer major: a breaking change with a migration ----

    /**
     * Version 2.0 as a newer image could make it: records regrouped (a breaking change),
     * the running session renamed to running.json.
     */
    static Migration toNextMajor(int failAfterRecords) {
        return Migration.of(1, 2, (source, target) -> {
            List<String> out = new ArrayList<>();
            Path records = source.resolve(SessionStore.RECORDS);
            for (String line : Files.exists(records) ? Files.readAllLines(records) : List.<String>of()) {
                if (out.size() == failAfterRecords) {
                    Files.write(target.resolve(SessionStore.RECORDS), out);
                    throw new IOException("power lost (simulated) after " + out.size() + " records");
                }
                Json.Obj o = Json.parseObject(line);
                out.add(Json.object().put("schemaVersion", 2)
                        .put("session", Json.object().put("id", o.integer("sessionId")).put("tag", o.string("idTag")))
                        .put("energy", Json.object().put("wh", o.integer("energyWh"))).write());
            }
            Files.write(target.resolve(SessionStore.RECORDS), out);
            Path open = source.resolve(SessionStore.OPEN);
            if (Files.exists(open)) {
                Files.copy(open, target.resolve("running.json"));
            }
        });
    }

    static final StoreSchema NEXT_MAJOR = StoreSchema.of("sessions", SchemaVersion.of(2, 0), toNextMajor(Integer.MAX_VALUE));

    static List<Long> nextMajorIds(Path store) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String line : Files.readAllLines(store.resolve(SessionStore.RECORDS))) {
            ids.add(Json.parseObject(line).obj("session").integer("id"));
        }
        return ids;
    }

    @Test
    void afterANewerMajorMigratedTheSessionsTodaysRecorderReturnsToTheKeptCopyAndListsEveryOne() throws IOException {
        recordThreeSessionsAndLeaveOneRunning();

        // the newer image starts: migrates, then records the end of 44 and a session 45 in its own form
        DataStore.open(dir, NEXT_MAJOR, StoreListener.NONE);
        assertThat(nextMajorIds(dir)).containsExactly(41L, 42L, 43L);
        Files.writeString(dir.resolve(SessionStore.RECORDS),
                "{\"schemaVersion\":2,\"session\":{\"id\":44,\"tag\":\"tag-44\"},\"energy\":{\"wh\":9}}\n"
                        + "{\"schemaVersion\":2,\"session\":{\"id\":45,\"tag\":\"x\"},\"energy\":{\"wh\":30}}\n",
                StandardOpenOption.APPEND);

        // its health check fails: rolled back to today's image
        SessionRecorder older = recorder();

        assertThat(ids(older.recent(10))).containsExactly(43L, 42L, 41L);
        assertThat(energies(older.recent(10))).containsExactly(20L, 12L, 5L);
        assertThat(older.recent(10)).extracting(SessionRecord::idTag).containsExactly("tag-43", "tag-42", "tag-41");
        assertThat(older.open()).as("the session that ran before the update").get()
                .extracting(SessionRecord::sessionId).isEqualTo(44L);
        Path setAside = data.resolve("sessions.set-aside-v2");
        assertThat(nextMajorIds(setAside)).as("what the newer image recorded is kept on disk").containsExactly(41L, 42L, 43L, 44L, 45L);
        assertThat(DataStore.recordedVersion(dir, "sessions")).contains(SchemaVersion.of(1, 0));
    }

    @Test
    void aMigrationCutShortLosesNoSessionWhicheverImageStartsNext() throws IOException {
        recordThreeSessionsAndLeaveOneRunning();
        StoreSchema cutAfterTwo = StoreSchema.of("sessions", SchemaVersion.of(2, 0), toNextMajor(2));

        assertThatThrownBy(() -> DataStore.open(dir, cutAfterTwo, StoreListener.NONE))
                .hasMessageContaining("power lost (simulated) after 2 records");
        assertThat(Files.exists(dir)).as("no half-migrated store in place").isFalse();

        Path copyForTheOlderImage = data.resolveSibling(data.getFileName() + "-older");
        copyTree(data, copyForTheOlderImage);
        try {
            SessionRecorder older = new SessionRecorder(copyForTheOlderImage.resolve("sessions"), 50, clock::get, Runnable::run);
            assertThat(ids(older.recent(10))).containsExactly(43L, 42L, 41L);
            assertThat(older.open()).get().extracting(SessionRecord::sessionId).isEqualTo(44L);
        } finally {
            deleteTree(copyForTheOlderImage);
        }

        DataStore.open(dir, NEXT_MAJOR, StoreListener.NONE);
        assertThat(nextMajorIds(dir)).containsExactly(41L, 42L, 43L);
        assertThat(dir.resolve("running.json")).exists();
    }

    @Test
    void aNewerMajorWithNoCopyToReturnToStopsTheRecorderWithAClearErrorAndChangesNothing() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DataStore.SCHEMA_FILE), "{\"store\":\"sessions\",\"major\":2,\"minor\":0}\n");
        Files.writeString(dir.resolve(SessionStore.RECORDS), "{\"schemaVersion\":2,\"session\":{\"id\":1}}\n");
        byte[] before = Files.readAllBytes(dir.resolve(SessionStore.RECORDS));

        assertThatThrownBy(this::recorder)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no session is recorded")
                .hasMessageContaining(dir.resolve("schema.json").toString())
                .hasMessageContaining("version 2.0")
                .hasMessageContaining("reads major 1");
        assertThat(Files.readAllBytes(dir.resolve(SessionStore.RECORDS))).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("schema.json", "sessions.jsonl");
        }
    }

    @Test
    void aDeviceFromBeforeVersionsWereRecordedKeepsItsSessions() throws IOException {
        Files.createDirectories(dir);
        SessionStore legacy = new SessionStore(dir);
        legacy.append(new SessionRecord(3, 0, 10, 77, 6_000, "", SessionRecord.EV_DISCONNECTED, java.util.Set.of()));

        SessionRecorder r = recorder();

        assertThat(ids(r.recent(5))).containsExactly(3L);
        assertThat(DataStore.recordedVersion(dir, "sessions")).contains(SchemaVersion.of(1, 0));
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
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
