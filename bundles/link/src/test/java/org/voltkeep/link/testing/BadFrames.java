package org.voltkeep.link.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;

/**
 * Frames the link must refuse, each with the refusal it must produce. Shared by the
 * codec's tests and the server's tests (the server answers each with an Error and
 * keeps serving).
 */
public final class BadFrames {
    /**
     * @param frame          the whole frame, header included
     * @param code           the expected error code
     * @param detailFragment text the refusal's detail must contain (names the field)
     * @param seq            the seq the refusal must carry (0: none was readable)
     */
    public record BadFrame(String name, byte[] frame, ErrorCode code, String detailFragment, long seq) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final int HELLO = 0x01;
    public static final int KEEP_ALIVE = 0x02;
    public static final int AUTHORIZE = 0x03;
    public static final int STOP = 0x04;
    public static final int SET_LIMIT = 0x05;
    public static final int CLEAR_LIMIT = 0x06;
    public static final int RESET_FAULTS = 0x07;
    public static final int STATUS_REQUEST = 0x08;
    public static final int HELLO_ACK = 0x81;
    public static final int ACK = 0x82;
    public static final int ERROR = 0x83;
    public static final int FAULT_REPORT = 0x85;

    /** Offsets inside a StatusMessage payload (type byte at 0), as the README's table lays it out. */
    static final int STATUS_STATE = 9;
    static final int STATUS_PWM = 10;
    static final int STATUS_CONTACTOR_COMMANDED = 12;
    static final int STATUS_LIMIT_SOURCE = 59;
    static final int STATUS_FAULTS = 68;
    static final int STATUS_SELF_TEST = 73;
    /** The idTag's length byte; its characters follow. */
    static final int STATUS_ID_TAG = 74;

    private BadFrames() {
    }

    public static List<BadFrame> all() {
        List<BadFrame> c = new ArrayList<>();
        ErrorCode mal = ErrorCode.MALFORMED;
        ErrorCode range = ErrorCode.OUT_OF_RANGE;

        c.add(bad("empty payload", Payload.empty(), mal, "empty payload", 0));
        c.add(bad("unknown type 0x7f", Payload.type(0x7f).i64(1), ErrorCode.UNKNOWN_TYPE, "unknown message type 0x7f", 0));
        c.add(bad("type 0x00", Payload.type(0x00), ErrorCode.UNKNOWN_TYPE, "unknown message type 0x00", 0));
        c.add(bad("type 0xff", Payload.type(0xff).i64(3), ErrorCode.UNKNOWN_TYPE, "unknown message type 0xff", 0));

        c.add(bad("Hello with half a version", Payload.type(HELLO).u8(0), mal, "Hello.protocolVersion is truncated", 0));
        c.add(bad("Hello without peer name", Payload.type(HELLO).u16(1), mal, "Hello.peerName is truncated", 0));
        c.add(bad("Hello peer name with line feed", Payload.type(HELLO).u16(1).str("app\nx"), mal,
                "Hello.peerName has byte 0x0a", 0));
        c.add(bad("Hello empty peer name", Payload.type(HELLO).u16(1).str(""), range, "Hello.peerName length 0", 0));

        c.add(bad("KeepAlive with half a seq", Payload.type(KEEP_ALIVE).i32(7), mal, "KeepAlive.seq is truncated", 0));
        c.add(bad("KeepAlive seq 0", Payload.type(KEEP_ALIVE).i64(0), range, "KeepAlive.seq 0 is below 1", 0));
        c.add(bad("KeepAlive seq -1", Payload.type(KEEP_ALIVE).i64(-1), range, "KeepAlive.seq -1 is below 1", 0));
        c.add(bad("KeepAlive trailing byte", Payload.type(KEEP_ALIVE).i64(11).u8(0), mal,
                "KeepAlive has 1 trailing byte", 11));

        c.add(bad("Authorize id tag with line feed", Payload.type(AUTHORIZE).i64(12).str("ABC\n"), mal,
                "Authorize.idTag has byte 0x0a", 12));
        c.add(bad("Authorize id tag non-ASCII", Payload.type(AUTHORIZE).i64(13).str("caf\u00c3\u00a9"), mal,
                "Authorize.idTag has byte 0xc3", 13));
        c.add(bad("Authorize id tag with DEL", Payload.type(AUTHORIZE).i64(14).str("AB\u007f"), mal,
                "Authorize.idTag has byte 0x7f", 14));
        c.add(bad("Authorize id tag with NUL", Payload.type(AUTHORIZE).i64(15).str("\u0000AB"), mal,
                "Authorize.idTag has byte 0x00", 15));
        c.add(bad("Authorize id tag of 37", Payload.type(AUTHORIZE).i64(16).str("A".repeat(37)), range,
                "Authorize.idTag length 37 is outside 1..36", 16));
        c.add(bad("Authorize empty id tag", Payload.type(AUTHORIZE).i64(17).str(""), range,
                "Authorize.idTag length 0 is outside 1..36", 17));
        c.add(bad("Authorize id tag shorter than its length byte", Payload.type(AUTHORIZE).i64(18).u8(10).raw('A', 'B', 'C'),
                mal, "Authorize.idTag is truncated", 18));

        c.add(bad("Stop unknown reason", Payload.type(STOP).i64(20).u8(0x63), mal, "Stop.reason has unknown code 0x63", 20));
        c.add(bad("Stop reason 0", Payload.type(STOP).i64(21).u8(0), mal, "Stop.reason has unknown code 0x00", 21));
        c.add(bad("Stop without reason", Payload.type(STOP).i64(22), mal, "Stop.reason is truncated", 22));

        c.add(bad("SetLimit priority 250", setLimit(30, "solar", 250, 16_000, 60_000), range,
                "SetLimit.priority 250 is outside 0..100", 30));
        c.add(bad("SetLimit priority 101", setLimit(31, "solar", 101, 16_000, 60_000), range,
                "SetLimit.priority 101 is outside 0..100", 31));
        c.add(bad("SetLimit 80001 mA", setLimit(32, "solar", 10, 80_001, 60_000), range,
                "SetLimit.milliamps 80001 is outside 0..80000", 32));
        c.add(bad("SetLimit -1 mA", setLimit(33, "solar", 10, -1, 60_000), range,
                "SetLimit.milliamps -1 is outside 0..80000", 33));
        c.add(bad("SetLimit most negative mA", setLimit(34, "solar", 10, Integer.MIN_VALUE, 60_000), range,
                "SetLimit.milliamps " + Integer.MIN_VALUE, 34));
        c.add(bad("SetLimit ttl 0", setLimit(35, "solar", 10, 16_000, 0), range,
                "SetLimit.ttlMillis 0 is outside 1..3600000", 35));
        c.add(bad("SetLimit ttl above 1 h", setLimit(36, "solar", 10, 16_000, 3_600_001), range,
                "SetLimit.ttlMillis 3600001 is outside 1..3600000", 36));
        c.add(bad("SetLimit negative ttl", setLimit(37, "solar", 10, 16_000, -5), range,
                "SetLimit.ttlMillis -5 is outside", 37));
        c.add(bad("SetLimit claim id with slash", setLimit(38, "a/b", 10, 16_000, 60_000), range,
                "SetLimit.claimId 'a/b'", 38));
        c.add(bad("SetLimit claim id of 33", setLimit(39, "c".repeat(33), 10, 16_000, 60_000), range,
                "SetLimit.claimId length 33 is outside 1..32", 39));
        c.add(bad("SetLimit claim id with space", setLimit(40, "my claim", 10, 16_000, 60_000), range,
                "SetLimit.claimId 'my claim'", 40));
        c.add(bad("SetLimit without ttl", Payload.type(SET_LIMIT).i64(41).str("solar").u8(10).i32(16_000), mal,
                "SetLimit.ttlMillis is truncated", 41));
        c.add(bad("SetLimit seq 0", setLimit(0, "solar", 10, 16_000, 60_000), range, "SetLimit.seq 0 is below 1", 0));

        c.add(bad("ClearLimit empty claim id", Payload.type(CLEAR_LIMIT).i64(50).str(""), range,
                "ClearLimit.claimId length 0 is outside 1..32", 50));
        c.add(bad("ClearLimit claim id with tab", Payload.type(CLEAR_LIMIT).i64(51).str("so\tlar"), mal,
                "ClearLimit.claimId has byte 0x09", 51));

        c.add(bad("ResetFaults trailing bytes", Payload.type(RESET_FAULTS).i64(60).raw(1, 2, 3), mal,
                "ResetFaults has 3 trailing bytes", 60));
        c.add(bad("StatusRequest most negative seq", Payload.type(STATUS_REQUEST).i64(Long.MIN_VALUE), range,
                "StatusRequest.seq " + Long.MIN_VALUE + " is below 1", 0));
        c.add(bad("StatusRequest without seq", Payload.type(STATUS_REQUEST), mal, "StatusRequest.seq is truncated", 0));

        c.add(bad("HelloAck without start id", Payload.type(HELLO_ACK).u16(1).i32(5), mal,
                "HelloAck.safetyStartId is truncated", 0));
        c.add(bad("Ack seq 0", Payload.type(ACK).i64(0), range, "Ack.seq 0 is below 1", 0));
        c.add(bad("Error unknown code", Payload.type(ERROR).i64(5).u8(0xee).str("x"), mal, "Error.code has unknown code 0xee", 0));
        c.add(bad("Error code NONE", Payload.type(ERROR).i64(5).u8(0).str("x"), mal, "Error.code is NONE", 0));
        c.add(bad("Error seq -1", Payload.type(ERROR).i64(-1).u8(1).str("x"), range, "Error.seq -1 is outside", 0));

        c.add(bad("StatusMessage boolean 2", status(STATUS_CONTACTOR_COMMANDED, 2), mal,
                "StatusMessage.contactorCommanded is 2, not 0 or 1", 0));
        c.add(bad("StatusMessage unknown fault bit", status(STATUS_FAULTS, 0x80, 0x00), mal,
                "StatusMessage.activeFaults has unknown bits 0x8000", 0));
        c.add(bad("StatusMessage unknown state", status(STATUS_STATE, 0x20), mal,
                "StatusMessage.state has unknown code 0x20", 0));
        c.add(bad("StatusMessage pwm 1001", status(STATUS_PWM, 0x03, 0xE9), range,
                "StatusMessage.pwmPermille 1001 is outside 0..1000", 0));
        c.add(bad("StatusMessage limit source 0", status(STATUS_LIMIT_SOURCE, 0), mal,
                "StatusMessage.limitSource has unknown code 0x00", 0));
        c.add(bad("StatusMessage cut before selfTestPassed", statusCutAt(STATUS_SELF_TEST), mal,
                "StatusMessage.selfTestPassed is truncated", 0));
        c.add(bad("StatusMessage id tag with a control character", status(STATUS_ID_TAG + 1 + 2, 0x07), mal,
                "StatusMessage.idTag has byte 0x07 at index 2", 0));
        c.add(bad("StatusMessage id tag of 37", statusWithIdTag("A".repeat(37)), range,
                "StatusMessage.idTag length 37 is outside 0..36", 0));

        c.add(bad("FaultReport raised 2", Payload.type(FAULT_REPORT).u8(0).u8(2).i64(100), mal,
                "FaultReport.raised is 2, not 0 or 1", 0));
        c.add(bad("FaultReport unknown fault", Payload.type(FAULT_REPORT).u8(15).u8(1).i64(100), mal,
                "FaultReport.fault has unknown code 0x0f", 0));

        c.add(new BadFrame("frame of 1025 bytes", Payload.oversizeFrame(1025), ErrorCode.TOO_LARGE,
                "frame of 1025 bytes exceeds 1024", 0));
        c.add(new BadFrame("frame of 65535 bytes", Payload.oversizeFrame(65_535), ErrorCode.TOO_LARGE,
                "frame of 65535 bytes exceeds 1024", 0));
        return List.copyOf(c);
    }

    /** A valid status, encoded, for the StatusMessage entries to spoil one field of. */
    public static ChargerStatus sampleStatus() {
        return new ChargerStatus(123_456L, ChargerState.C2, 533, true, true, true, "RFID-0001", 7L, 120_000L, 1_500L,
                987_654L, 15_900, 3_650, 16_000, LimitSource.REQUEST, 32_000, 412,
                Set.of(Fault.OVER_TEMPERATURE), LinkState.UP, FallbackMode.SAFE_CURRENT, false, true);
    }

    private static Payload setLimit(long seq, String claimId, int priority, int milliamps, int ttlMillis) {
        return Payload.type(SET_LIMIT).i64(seq).str(claimId).u8(priority).i32(milliamps).i32(ttlMillis);
    }

    private static byte[] statusPayload() {
        byte[] frame = LinkCodec.encode(new Message.StatusMessage(sampleStatus()));
        byte[] payload = new byte[frame.length - LinkCodec.HEADER_BYTES];
        System.arraycopy(frame, LinkCodec.HEADER_BYTES, payload, 0, payload.length);
        return payload;
    }

    private static byte[] status(int offset, int... bytes) {
        byte[] p = statusPayload();
        for (int i = 0; i < bytes.length; i++) {
            p[offset + i] = (byte) bytes[i];
        }
        return Payload.frame(p);
    }

    private static byte[] statusCutAt(int length) {
        return Payload.frame(java.util.Arrays.copyOf(statusPayload(), length));
    }

    /** The sample's fixed fields followed by an id tag the encoder would refuse to write. */
    private static byte[] statusWithIdTag(String idTag) {
        Payload p = Payload.empty();
        for (byte b : java.util.Arrays.copyOf(statusPayload(), STATUS_ID_TAG)) {
            p.u8(b);
        }
        return p.str(idTag).frame();
    }

    private static BadFrame bad(String name, Payload payload, ErrorCode code, String fragment, long seq) {
        return new BadFrame(name, payload.frame(), code, fragment, seq);
    }

    private static BadFrame bad(String name, byte[] frame, ErrorCode code, String fragment, long seq) {
        return new BadFrame(name, frame, code, fragment, seq);
    }
}
