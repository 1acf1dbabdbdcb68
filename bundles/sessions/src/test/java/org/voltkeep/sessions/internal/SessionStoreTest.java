package org.voltkeep.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionRecord;

class SessionStoreTest {
    @TempDir
    Path dir;

    private static SessionRecord record(long id) {
        return new SessionRecord(id, id * 1_000, id * 1_000 + 600, id * 3, 16_000 + (int) id, "", SessionRecord.EV_DISCONNECTED,
                id % 2 == 0 ? Set.of("RCD_TRIP", "CP_SHORT") : Set.of());
    }

    @Test
    void appendedRecordsAreOneJsonLineEachWithTheSchemaVersion() throws Exception {
        SessionStore store = new SessionStore(dir.resolve("sessions"));
        store.append(record(1));
        store.append(record(2));

        List<String> lines = Files.readAllLines(store.records());
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(Json.parseObject(line).integer("schemaVersion")).isEqualTo(SessionJson.SCHEMA_VERSION);
        }
        assertThat(SessionJson.readRecord(Json.parseObject(lines.get(1)))).isEqualTo(record(2));
    }

    @Test
    void recentReadsTheNewestFirstAcrossManyBlocks() throws Exception {
        SessionStore store = new SessionStore(dir);
        int total = 400; // well over one read block
        for (long id = 1; id <= total; id++) {
            store.append(record(id));
        }
        assertThat(Files.size(store.records())).isGreaterThan(3L * 16 * 1024);

        List<SessionRecord> recent = store.loadRecent(150);

        assertThat(recent).hasSize(150);
        assertThat(recent.get(0)).isEqualTo(record(total));
        assertThat(recent.get(149)).isEqualTo(record(total - 149));
        assertThat(store.loadRecent(total + 10)).hasSize(total);
    }

    @Test
    void damagedLinesAreSkippedAndATornLastLineIsClosedOffBeforeTheNextRecord() throws Exception {
        SessionStore store = new SessionStore(dir);
        store.append(record(1));
        Files.writeString(store.records(), "not json\n{\"schemaVersion\":1,\"sessionId\":\"x\"}\n",
                StandardOpenOption.APPEND);
        store.append(record(2));
        Files.writeString(store.records(), "{\"schemaVersion\":1,\"sessionId\":3,\"startBo", StandardOpenOption.APPEND);
        assertThat(store.loadRecent(10)).containsExactly(record(2), record(1));

        store.append(record(4));

        assertThat(store.loadRecent(10)).containsExactly(record(4), record(2), record(1));
        List<String> lines = Files.readAllLines(store.records());
        assertThat(lines.get(lines.size() - 1)).startsWith("{").contains("\"sessionId\":4");
    }

    @Test
    void anOverlongLineIsSkipped() throws Exception {
        SessionStore store = new SessionStore(dir);
        store.append(record(1));
        Files.writeString(store.records(), "x".repeat(SessionStore.MAX_LINE_BYTES + 10) + "\n", StandardOpenOption.APPEND);
        store.append(record(2));

        assertThat(store.loadRecent(10)).containsExactly(record(2), record(1));
    }

    @Test
    void theRunningSessionIsReplacedAtomicallyAndReadBack() throws Exception {
        SessionStore store = new SessionStore(dir.resolve("new"));
        OpenSession a = OpenSession.start(TestStatus.charging(5, 10, 20, 1, 9_000).build());
        OpenSession b = a.merge(TestStatus.charging(5, 10, 30, 2, 12_000).build());

        store.saveOpen(a);
        store.saveOpen(b);

        assertThat(store.loadOpen()).contains(b);
        try (var files = Files.list(store.openFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SessionStore.OPEN);
        }
        store.deleteOpen();
        assertThat(store.loadOpen()).isEmpty();
        assertThat(store.openFileExists()).isFalse();
    }

    @Test
    void aDamagedSavedSessionIsIgnored() throws Exception {
        SessionStore store = new SessionStore(dir);
        Files.writeString(store.openFile(), "{\"schemaVersion\":1,\"sessionId\":5", StandardCharsets.UTF_8);
        assertThat(store.loadOpen()).isEmpty();
        assertThat(store.openFileExists()).isTrue();

        Files.writeString(store.openFile(), "{\"schemaVersion\":0,\"sessionId\":5}", StandardCharsets.UTF_8);
        assertThat(store.loadOpen()).isEmpty();
    }

    @Test
    void aNewerMinorsExtraFieldsAreIgnored() throws Exception {
        Json.Obj newer = SessionJson.write(record(6)).put("tariffCents", 123).put("meter", Json.object().put("startWh", 10));
        assertThat(SessionJson.readRecord(Json.parseObject(newer.write()))).isEqualTo(record(6));
    }

    @Test
    void aLineOfAnotherMajorIsSkippedNamingItsVersionAndTheOthersAreRead() throws Exception {
        SessionStore store = new SessionStore(dir);
        store.append(record(1));
        Files.writeString(store.records(), SessionJson.write(record(2)).put("schemaVersion", 2).write() + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        store.append(record(3));

        assertThat(store.loadRecent(10)).extracting(SessionRecord::sessionId).containsExactly(3L, 1L);
        assertThatThrownBy(() -> SessionJson.readRecord(SessionJson.write(record(2)).put("schemaVersion", 2)))
                .hasMessageContaining("$.schemaVersion: major version 2 is not the 1 this image reads");
    }
}
