package org.voltkeep.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.voltkeep.json.Json;

class SecurityLogTest {
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00.123456Z");

    @TempDir
    Path device;
    TestClock clock;
    SecurityLog log;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        log = SecurityLog.forDevice(device, clock);
    }

    private void appendNumbered(int count) throws IOException {
        for (int i = 1; i <= count; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.append(SecurityEvent.INVALID_MESSAGES, "message " + i, Json.object().put("n", i));
        }
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(log.file(), StandardCharsets.UTF_8));
    }

    private void writeLines(List<String> lines) throws IOException {
        Files.writeString(log.file(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void appendsChainedRecordsInTheDataDirectory() throws Exception {
        SecurityRecord first = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "launcher started");
        clock.advance(Duration.ofMillis(1500));
        SecurityRecord second = log.append(SecurityEvent.BOOT_VERIFIED, "slot a verified",
                Json.object().put("slot", "a").put("bundles", 23));

        assertThat(log.file()).isEqualTo(device.resolve("data/security/events.jsonl"));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prev()).isEqualTo("0".repeat(64));
        assertThat(first.time()).isEqualTo(Instant.parse("2026-11-22T08:00:00.123Z"));
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prev()).isEqualTo(first.hash());

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"seq\":1,\"time\":\"2026-11-22T08:00:00.123Z\",\"event\":\"StartupOfTheDevice\","
                + "\"detail\":\"launcher started\",\"prev\":\"" + "0".repeat(64) + "\",\"hash\":\"" + first.hash() + "\"}");
        assertThat(lines.get(1)).contains("\"event\":\"BootVerified\"", "\"techInfo\":{\"slot\":\"a\",\"bundles\":23}",
                "\"time\":\"2026-11-22T08:00:01.623Z\"");

        VerifyReport report = SecurityLog.verify(log.file());
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.records()).isEqualTo(2);
        assertThat(report.lastSeq()).isEqualTo(2);
        assertThat(report.lastHash()).isEqualTo(second.hash());
        assertThat(report.tornTail()).isFalse();
    }

    @Test
    void hashIsSha256OfTheLineWithoutItsHashMember() throws Exception {
        appendNumbered(3);
        for (String line : lines()) {
            int at = line.lastIndexOf(",\"hash\":\"");
            String hash = line.substring(at + 9, at + 9 + 64);
            assertThat(sha256(line.substring(0, at) + "}")).isEqualTo(hash);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"detail\":\"message 5\"|\"detail\":\"message five\"",
        "\"event\":\"InvalidMessages\"|\"event\":\"FirmwareUpdated\"",
        "\"techInfo\":{\"n\":5}|\"techInfo\":{\"n\":6}",
        "\"time\":\"2026-11-22T08:00:05.123Z\"|\"time\":\"2026-11-22T08:00:06.123Z\"",
        "\"seq\":5|\"seq\":6"})
    void anEditedFieldOfAMiddleRecordIsFoundWithItsSeq(String field, String edited) throws Exception {
        appendNumbered(9);
        List<String> lines = lines();
        assertThat(lines.get(4)).contains(field);
        lines.set(4, lines.get(4).replace(field, edited));
        writeLines(lines);

        VerifyReport report = SecurityLog.verify(log.file());

        assertThat(report.ok()).isFalse();
        ChainBreak b = report.firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.EDITED);
        assertThat(b.line()).isEqualTo(5);
        assertThat(b.expectedSeq()).isEqualTo(5);
        assertThat(b.message()).contains("line 5", "does not match its hash");
        assertThat(report.records()).isEqualTo(4);
        assertThat(report.summary()).contains("line 5", "EDITED");
    }

    @Test
    void anEditedHashIsFoundToo() throws Exception {
        appendNumbered(5);
        List<String> lines = lines();
        String line = lines.get(2);
        int at = line.lastIndexOf("\"hash\":\"") + 8;
        char c = line.charAt(at);
        lines.set(2, line.substring(0, at) + (c == 'a' ? 'b' : 'a') + line.substring(at + 1));
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.EDITED);
        assertThat(b.foundSeq()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 6})
    void aDeletedLineIsFound(int index) throws Exception {
        appendNumbered(8);
        List<String> lines = lines();
        lines.remove(index);
        writeLines(lines);

        VerifyReport report = SecurityLog.verify(log.file());

        ChainBreak b = report.firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.REMOVED);
        assertThat(b.line()).isEqualTo(index + 1);
        assertThat(b.expectedSeq()).isEqualTo(index + 1);
        assertThat(b.foundSeq()).isEqualTo(index + 2);
        assertThat(b.message()).contains("record seq " + (index + 1) + " is missing");
        assertThat(report.records()).isEqualTo(index);
    }

    @Test
    void severalDeletedLinesAreNamedAsARange() throws Exception {
        appendNumbered(8);
        List<String> lines = lines();
        lines.subList(2, 5).clear();
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.REMOVED);
        assertThat(b.message()).contains("seq 3..5 are missing");
    }

    @Test
    void swappedLinesAreFound() throws Exception {
        appendNumbered(8);
        List<String> lines = lines();
        String l4 = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, l4);
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.REORDERED);
        assertThat(b.line()).isEqualTo(4);
        assertThat(b.expectedSeq()).isEqualTo(4);
        assertThat(b.foundSeq()).isEqualTo(5);
        assertThat(b.message()).contains("seq 4 is on line 5");
    }

    @Test
    void aRepeatedLineIsFound() throws Exception {
        appendNumbered(5);
        List<String> lines = lines();
        lines.add(3, lines.get(2));
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.REORDERED);
        assertThat(b.line()).isEqualTo(4);
        assertThat(b.foundSeq()).isEqualTo(3);
    }

    @Test
    void aRecordFromAnotherChainIsFound() throws Exception {
        appendNumbered(5);
        SecurityLog other = new SecurityLog(device.resolve("data/other/events.jsonl"), new TestClock(T0.plusSeconds(99)));
        for (int i = 0; i < 5; i++) {
            other.append(SecurityEvent.INVALID_MESSAGES, "other " + i);
        }
        List<String> lines = lines();
        lines.set(2, Files.readAllLines(other.file()).get(2));
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.CHAIN_BROKEN);
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.foundSeq()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{}", "", "[1,2]"})
    void aLineThatIsNoRecordIsMalformed(String garbage) throws Exception {
        appendNumbered(4);
        List<String> lines = lines();
        lines.set(1, garbage);
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.MALFORMED);
        assertThat(b.line()).isEqualTo(2);
        assertThat(b.foundSeq()).isZero();
    }

    @Test
    void aRecordRewrittenWithOtherSpacingIsMalformed() throws Exception {
        appendNumbered(3);
        List<String> lines = lines();
        lines.set(1, Json.parse(lines.get(1)).writePretty().replace("\n", ""));
        writeLines(lines);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.MALFORMED);
        assertThat(b.message()).contains("canonical");
    }

    @Test
    void invalidUtf8IsMalformed() throws Exception {
        appendNumbered(2);
        byte[] bytes = Files.readAllBytes(log.file());
        int i = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("message 1");
        bytes[i] = (byte) 0xC3;
        Files.write(log.file(), bytes);

        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.MALFORMED);
        assertThat(b.line()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 40, 100})
    void aTornLastLineIsHealedByTheNextAppend(int keptBytes) throws Exception {
        appendNumbered(4);
        byte[] bytes = Files.readAllBytes(log.file());
        int lastLineStart = new String(bytes, StandardCharsets.UTF_8).lastIndexOf('\n', bytes.length - 2) + 1;
        Files.write(log.file(), java.util.Arrays.copyOf(bytes, lastLineStart + keptBytes));

        VerifyReport torn = SecurityLog.verify(log.file());
        assertThat(torn.ok()).isTrue();
        assertThat(torn.tornTail()).isTrue();
        assertThat(torn.records()).isEqualTo(3);

        SecurityRecord next = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "booted again");

        VerifyReport healed = SecurityLog.verify(log.file());
        assertThat(healed.ok()).as(healed.summary()).isTrue();
        assertThat(healed.tornTail()).isFalse();
        assertThat(healed.records()).isEqualTo(5);
        assertThat(next.seq()).isEqualTo(5);
        SecurityRecord repair = log.tail(2).get(0);
        assertThat(repair.seq()).isEqualTo(4);
        assertThat(repair.knownEvent()).contains(SecurityEvent.RESET_OR_REBOOT);
        assertThat(repair.detail()).contains("partial record of " + keptBytes + " bytes", "dropped");
        assertThat(repair.techInfo().orElseThrow().integer("droppedBytes")).isEqualTo(keptBytes);
    }

    @Test
    void aLastRecordThatOnlyLacksItsNewlineIsKept() throws Exception {
        appendNumbered(3);
        byte[] bytes = Files.readAllBytes(log.file());
        Files.write(log.file(), java.util.Arrays.copyOf(bytes, bytes.length - 1));

        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "booted again");

        VerifyReport report = SecurityLog.verify(log.file());
        assertThat(report.ok()).isTrue();
        assertThat(report.records()).isEqualTo(4);
        assertThat(log.tail(4)).extracting(SecurityRecord::event)
                .containsExactly("InvalidMessages", "InvalidMessages", "InvalidMessages", "StartupOfTheDevice");
    }

    @Test
    void aFileWithOnlyAPartialLineStartsOver() throws Exception {
        Files.createDirectories(log.file().getParent());
        Files.writeString(log.file(), "{\"seq\":1,\"ti");

        SecurityRecord r = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "first boot");

        assertThat(r.seq()).isEqualTo(2);
        assertThat(log.tail(5)).extracting(SecurityRecord::event).containsExactly("ResetOrReboot", "StartupOfTheDevice");
        assertThat(SecurityLog.verify(log.file()).ok()).isTrue();
    }

    @Test
    void anEditedLastRecordIsReportedByTheNextAppend() throws Exception {
        appendNumbered(3);
        List<String> lines = lines();
        lines.set(2, lines.get(2).replace("message 3", "message X"));
        writeLines(lines);

        SecurityRecord r = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "booted");

        assertThat(r.seq()).isEqualTo(5);
        SecurityRecord tamper = log.tail(2).get(0);
        assertThat(tamper.knownEvent()).contains(SecurityEvent.TAMPER_DETECTION_ACTIVATED);
        assertThat(tamper.detail()).contains("seq 3", "does not match its hash");
        assertThat(tamper.critical()).isTrue();
        // the edit itself stays visible to verify
        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.EDITED);
        assertThat(b.line()).isEqualTo(3);
        // and the records after it still chain to each other
        assertThat(lines().size()).isEqualTo(5);
    }

    @Test
    void anUnreadableLastLineIsReportedAndTheLogGoesOn() throws Exception {
        appendNumbered(3);
        Files.writeString(log.file(), "garbage that is no record\n", java.nio.file.StandardOpenOption.APPEND);

        SecurityRecord r = log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "booted");

        assertThat(r.seq()).isEqualTo(6);
        assertThat(log.tail(2).get(0).detail()).contains("not a record");
        ChainBreak b = SecurityLog.verify(log.file()).firstBreak().orElseThrow();
        assertThat(b.problem()).isEqualTo(ChainProblem.MALFORMED);
        assertThat(b.line()).isEqualTo(4);
        // the two new records chain to the garbage line and to each other
        SecurityRecord tamper = log.tail(2).get(0);
        assertThat(tamper.seq()).isEqualTo(5);
        assertThat(r.prev()).isEqualTo(tamper.hash());
        assertThat(tamper.prev()).isEqualTo(sha256("garbage that is no record"));
    }

    @Test
    void tailAndSinceReadRecordsInOrder() throws Exception {
        appendNumbered(10);

        assertThat(log.tail(3)).extracting(SecurityRecord::seq).containsExactly(8L, 9L, 10L);
        assertThat(log.tail(50)).hasSize(10);
        assertThat(log.tail(0)).isEmpty();
        assertThat(log.since(7)).extracting(SecurityRecord::seq).containsExactly(8L, 9L, 10L);
        assertThat(log.since(0, 2)).extracting(SecurityRecord::seq).containsExactly(1L, 2L);
        assertThat(log.since(10)).isEmpty();
        SecurityRecord r = log.tail(1).get(0);
        assertThat(r.detail()).isEqualTo("message 10");
        assertThat(r.techInfo().orElseThrow().integer("n")).isEqualTo(10);
        assertThat(r.time()).isEqualTo(Instant.parse("2026-11-22T08:00:10.123Z"));
        assertThat(r.toJson().write()).isEqualTo(lines().get(9));
        assertThat(log.since(9)).containsExactly(r);
    }

    @Test
    void readersSkipATornTailAndDamagedLines() throws Exception {
        appendNumbered(4);
        List<String> lines = lines();
        lines.set(1, "damaged");
        writeLines(lines);
        Files.writeString(log.file(), "{\"seq\":5,", java.nio.file.StandardOpenOption.APPEND);

        assertThat(log.tail(2)).extracting(SecurityRecord::seq).containsExactly(3L, 4L);
        assertThat(log.since(0)).extracting(SecurityRecord::seq).containsExactly(1L, 3L, 4L);
    }

    @Test
    void readersOfAMissingLogFindNothingAndVerifySaysItIsMissing() throws Exception {
        assertThat(log.tail(5)).isEmpty();
        assertThat(log.since(0)).isEmpty();
        assertThatThrownBy(() -> SecurityLog.verify(log.file())).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anEmptyLogVerifies() throws Exception {
        Files.createDirectories(log.file().getParent());
        Files.createFile(log.file());
        VerifyReport r = SecurityLog.verify(log.file());
        assertThat(r.ok()).isTrue();
        assertThat(r.records()).isZero();
        assertThat(r.lastHash()).isEqualTo("0".repeat(64));
    }

    @Test
    void aLongDetailIsCutAndTooMuchTechInfoIsRefused() throws Exception {
        SecurityRecord r = log.append(SecurityEvent.INVALID_MESSAGES, "x".repeat(5000));
        assertThat(r.detail()).startsWith("x".repeat(SecurityLog.MAX_DETAIL_CHARS)).endsWith("(3000 more characters cut)");

        Json.Obj big = Json.object().put("blob", "y".repeat(SecurityLog.MAX_TECH_INFO_BYTES));
        assertThatThrownBy(() -> log.append(SecurityEvent.INVALID_MESSAGES, "big", big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("techInfo of InvalidMessages")
                .hasMessageContaining("at most " + SecurityLog.MAX_TECH_INFO_BYTES);
        assertThat(SecurityLog.verify(log.file()).records()).isEqualTo(1);
    }

    @Test
    void hostileTextStaysOnOneLine() throws Exception {
        log.append(SecurityEvent.INVALID_MESSAGES, "line\nbreak \"quoted\" \u2028 {\"seq\":99}",
                Json.object().put("raw", "\r\n\u0000"));
        log.append(SecurityEvent.INVALID_MESSAGES, "next");

        assertThat(lines()).hasSize(2);
        assertThat(SecurityLog.verify(log.file()).ok()).isTrue();
        assertThat(log.tail(2).get(0).detail()).isEqualTo("line\nbreak \"quoted\" \u2028 {\"seq\":99}");
    }

    @Test
    void recordsDoNotShareTheirTechInfo() throws Exception {
        Json.Obj info = Json.object().put("slot", "a");
        SecurityRecord r = log.append(SecurityEvent.BOOT_VERIFIED, "ok", info);
        info.put("slot", "b");
        r.techInfo().orElseThrow().put("slot", "c");

        assertThat(r.techInfo().orElseThrow().string("slot")).isEqualTo("a");
        assertThat(SecurityLog.verify(log.file()).ok()).isTrue();
    }

    @Test
    void anEventNameOfANewerVersionIsReadAndVerified() throws Exception {
        appendNumbered(1);
        String prev = log.tail(1).get(0).hash();
        String body = "{\"seq\":2,\"time\":\"2027-01-01T00:00:00.000Z\",\"event\":\"SomethingNew\",\"detail\":\"\",\"prev\":\"" + prev + "\"";
        String line = body + ",\"hash\":\"" + sha256(body + "}") + "\"}";
        Files.writeString(log.file(), line + "\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(SecurityLog.verify(log.file()).ok()).isTrue();
        SecurityRecord r = log.tail(1).get(0);
        assertThat(r.event()).isEqualTo("SomethingNew");
        assertThat(r.knownEvent()).isEmpty();
        assertThat(r.critical()).isTrue();
        assertThat(log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "after").seq()).isEqualTo(3);
    }

    @Test
    void verifyReportAsJson() throws Exception {
        appendNumbered(2);
        List<String> lines = lines();
        lines.remove(0);
        writeLines(lines);

        Json.Obj json = SecurityLog.verify(log.file()).toJson();
        assertThat(json.bool("ok")).isFalse();
        assertThat(json.obj("firstBreak").string("problem")).isEqualTo("REMOVED");
        assertThat(json.obj("firstBreak").integer("line")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SecurityEvent.class)
    void everyEventIsFoundByItsName(SecurityEvent e) {
        assertThat(SecurityEvent.byName(e.eventName())).contains(e);
        assertThat(e.eventName()).matches("[A-Z][A-Za-z]+").hasSizeLessThanOrEqualTo(50);
    }

    @Test
    void eventNamesAreDistinctAndOcppOnesAreSpelledAsOcppDoes() {
        Set<String> names = java.util.Arrays.stream(SecurityEvent.values()).map(SecurityEvent::eventName).collect(Collectors.toSet());
        assertThat(names).hasSize(SecurityEvent.values().length)
                .contains("StartupOfTheDevice", "FirmwareUpdated", "InvalidFirmwareSignature", "InvalidTLSVersion",
                        "InvalidTLSCipherSuite", "TamperDetectionActivated", "BootVerified", "BundleHotSwapped");
        assertThat(SecurityEvent.TAMPER_DETECTION_ACTIVATED.critical()).isTrue();
        assertThat(SecurityEvent.INVALID_MESSAGES.critical()).isFalse();
        assertThat(SecurityEvent.BOOT_REFUSED.ocpp()).isFalse();
        assertThat(SecurityEvent.byName("NoSuchEvent")).isEmpty();
    }
}
