package org.voltkeep.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.Migration;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreRefusedException;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.json.Json;

/**
 * The security log across versions: records a newer minor wrote (with keys this
 * version does not know) verify, chain and are read; a log of a newer major is
 * never appended to unless there is a kept copy to return to, and the return is
 * itself recorded.
 */
class SecurityLogSchemaTest {
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00.000Z");

    @TempDir
    Path device;
    TestClock clock;
    SecurityLog log;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        log = SecurityLog.forDevice(device, clock);
    }

    Path securityDir() {
        return device.resolve("data/security");
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A record as a newer minor version could write it: two keys of its own right
     * before prev, hashed as the format says (the line without its hash member).
     */
    private static String newerRecordLine(long seq, String prev) throws Exception {
        String body = "{\"seq\":" + seq + ",\"time\":\"2026-11-22T09:00:00.000Z\",\"event\":\"FirmwareUpdated\","
                + "\"detail\":\"image 2.0.0 installed\",\"techInfo\":{\"slot\":\"b\"},"
                + "\"signature\":{\"alg\":\"ES256\",\"value\":\"MEUCIQ\"},\"bootId\":\"7f3a\","
                + "\"prev\":\"" + prev + "\"}";
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + sha256(body) + "\"}";
    }

    @Test
    void recordsWithKeysANewerVersionAddedVerifyChainAndAreWrittenBackAsTheyWere() throws Exception {
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started");
        SecurityRecord second = log.append(SecurityEvent.BOOT_VERIFIED, "slot a");
        String newer = newerRecordLine(3, second.hash());
        Files.writeString(log.file(), newer + "\n", StandardOpenOption.APPEND);

        VerifyReport report = log.verify();
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.records()).isEqualTo(3);

        SecurityRecord read = log.tail(1).get(0);
        assertThat(read.event()).isEqualTo("FirmwareUpdated");
        assertThat(read.techInfo()).get().extracting(t -> t.string("slot")).isEqualTo("b");
        assertThat(read.extensions().members().keySet()).containsExactly("signature", "bootId");
        assertThat(read.toJson().write()).as("written back byte for byte").isEqualTo(newer);

        clock.advance(Duration.ofSeconds(5));
        SecurityRecord next = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started by the older image");
        assertThat(next.seq()).isEqualTo(4);
        assertThat(next.prev()).isEqualTo(read.hash());
        assertThat(log.verify().ok()).isTrue();
        assertThat(log.since(2)).extracting(SecurityRecord::seq).containsExactly(3L, 4L);
    }

    @Test
    void keysOutsideTheirPlaceAreMalformedAndAKeyAddedToAnExistingRecordIsAnEdit() throws Exception {
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started");
        log.append(SecurityEvent.BOOT_VERIFIED, "slot a");
        List<String> original = Files.readAllLines(log.file());

        String afterHash = original.get(1).substring(0, original.get(1).length() - 1) + ",\"x\":1}";
        Files.writeString(log.file(), original.get(0) + "\n" + afterHash + "\n");
        ChainBreak b = log.verify().firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.MALFORMED);
        assertThat(b.message()).contains("keys a newer version adds");

        String beforeDetail = original.get(1).replace(",\"detail\":", ",\"x\":1,\"detail\":");
        Files.writeString(log.file(), original.get(0) + "\n" + beforeDetail + "\n");
        assertThat(log.verify().firstBreak().orElseThrow().problem()).isEqualTo(ChainProblem.MALFORMED);

        String inserted = original.get(1).replace(",\"prev\":", ",\"x\":1,\"prev\":");
        Files.writeString(log.file(), original.get(0) + "\n" + inserted + "\n");
        ChainBreak edited = log.verify().firstBreak().orElseThrow();
        assertThat(edited.problem()).as("an added key is covered by the hash").isEqualTo(ChainProblem.EDITED);
        assertThat(edited.line()).isEqualTo(2);
    }

    @Test
    void aNewLogRecordsItsVersion() throws Exception {
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started");
        assertThat(DataStore.recordedVersion(securityDir(), "security-log")).contains(SchemaVersion.of(1, 0));
        assertThat(Json.parseObject(Files.readString(securityDir().resolve("schema.json"))).string("store"))
                .isEqualTo("security-log");
    }

    @Test
    void aLogOfANewerMajorWithNoCopyToReturnToIsNeitherAppendedToNorReadAndNothingChanges() throws Exception {
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started");
        Files.writeString(securityDir().resolve("schema.json"), "{\"store\":\"security-log\",\"major\":2,\"minor\":0}");
        byte[] before = Files.readAllBytes(log.file());

        SecurityLog olderLauncher = SecurityLog.forDevice(device, clock);
        assertThatThrownBy(() -> olderLauncher.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "started again"))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining(securityDir().resolve("schema.json").toString())
                .hasMessageContaining("version 2.0")
                .hasMessageContaining("reads major 1")
                .hasMessageContaining("nothing was changed");
        assertThatThrownBy(() -> SecurityLog.verify(log.file())).isInstanceOf(StoreRefusedException.class);
        assertThatThrownBy(() -> olderLauncher.tail(5)).isInstanceOf(StoreRefusedException.class);
        assertThat(Files.readAllBytes(log.file())).isEqualTo(before);
    }

    @Test
    void anOlderLauncherReturnsToTheKeptCopyAndRecordsThatItDid() throws Exception {
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "boot " + i);
        }
        SecurityRecord third = log.tail(1).get(0);
        // a newer launcher of major 2 (a test double) migrates the log to a file of its own and writes there
        StoreSchema nextMajor = StoreSchema.of("security-log", SchemaVersion.of(2, 0), Migration.of(1, 2,
                (source, target) -> Files.copy(source.resolve("events.jsonl"), target.resolve("events-v2.jsonl"))));
        DataStore.open(securityDir(), nextMajor, StoreListener.NONE);
        Files.writeString(securityDir().resolve("events-v2.jsonl"), "{\"v2\":\"record\"}\n", StandardOpenOption.APPEND);

        SecurityLog olderLauncher = SecurityLog.forDevice(device, clock);
        clock.advance(Duration.ofSeconds(1));
        SecurityRecord appended = olderLauncher.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "boot 4, rolled back");

        List<SecurityRecord> tail = olderLauncher.tail(3);
        assertThat(tail.get(0).event()).isEqualTo("SecurityLogWasCleared");
        assertThat(tail.get(0).seq()).isEqualTo(4);
        assertThat(tail.get(0).prev()).isEqualTo(third.hash());
        assertThat(tail.get(0).detail()).contains("security.set-aside-v2").contains("kept, not deleted");
        assertThat(tail.get(0).critical()).isTrue();
        assertThat(tail.get(1).detail()).contains("returned to the kept copy of version 1.0");
        assertThat(appended.seq()).isEqualTo(6);
        VerifyReport report = SecurityLog.verify(log.file());
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.records()).isEqualTo(6);
        assertThat(device.resolve("data/security.set-aside-v2/events-v2.jsonl")).content()
                .as("the newer launcher's log is still there").contains("{\"v2\":\"record\"}");
    }

    @Test
    void readersOfANewerMajorWithAKeptCopyReadTheCopyAndChangeNothing() throws Exception {
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "boot 1");
        log.append(SecurityEvent.BOOT_VERIFIED, "slot a");
        StoreSchema nextMajor = StoreSchema.of("security-log", SchemaVersion.of(2, 0), Migration.of(1, 2,
                (source, target) -> Files.writeString(target.resolve("events.jsonl"), "")));
        DataStore.open(securityDir(), nextMajor, StoreListener.NONE);

        VerifyReport report = SecurityLog.verify(log.file());

        assertThat(report.ok()).isTrue();
        assertThat(report.records()).isEqualTo(2);
        assertThat(report.file()).isEqualTo(device.resolve("data/security.kept-v1/events.jsonl"));
        assertThat(SecurityLog.forDevice(device, clock).tail(5)).extracting(SecurityRecord::detail)
                .containsExactly("boot 1", "slot a");
        assertThat(DataStore.recordedVersion(securityDir(), "security-log")).as("still the newer one")
                .contains(SchemaVersion.of(2, 0));
    }
}
