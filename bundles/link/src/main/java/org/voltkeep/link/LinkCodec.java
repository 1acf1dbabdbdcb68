package org.voltkeep.link;

import java.nio.ByteBuffer;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.link.Message.Ack;
import org.voltkeep.link.Message.Authorize;
import org.voltkeep.link.Message.ClearLimit;
import org.voltkeep.link.Message.Error;
import org.voltkeep.link.Message.FaultReport;
import org.voltkeep.link.Message.Hello;
import org.voltkeep.link.Message.HelloAck;
import org.voltkeep.link.Message.KeepAlive;
import org.voltkeep.link.Message.ResetFaults;
import org.voltkeep.link.Message.SetLimit;
import org.voltkeep.link.Message.StatusMessage;
import org.voltkeep.link.Message.StatusRequest;
import org.voltkeep.link.Message.Stop;

/**
 * Binary form of {@link Message}s. A frame is a 2-byte big-endian payload length
 * followed by the payload; the payload is one type byte ({@link MessageType}) and
 * the message's fields in fixed order: big-endian integers, strings as one length
 * byte and printable US-ASCII, booleans as 0 or 1, enums as explicit one-byte wire
 * codes, fault sets as a 16-bit mask. The README of this bundle has the table.
 */
public final class LinkCodec {
    /** 2: the status carries the id tag. */
    public static final int PROTOCOL_VERSION = 2;
    /** Largest payload a peer may send, in bytes. */
    public static final int MAX_FRAME = 1024;
    /** Size of the length field in front of every payload. */
    public static final int HEADER_BYTES = 2;

    private LinkCodec() {
    }

    /** The whole frame: length header and payload. */
    public static byte[] encode(Message message) {
        WireWriter w = new WireWriter(message.type());
        switch (message.type()) {
            case HELLO -> {
                Hello m = (Hello) message;
                w.u16(m.protocolVersion()).string(m.peerName());
            }
            case KEEP_ALIVE -> w.i64(((KeepAlive) message).seq());
            case AUTHORIZE -> {
                Authorize m = (Authorize) message;
                w.i64(m.seq()).string(m.idTag());
            }
            case STOP -> {
                Stop m = (Stop) message;
                w.i64(m.seq()).u8(WireCodes.code(m.reason()));
            }
            case SET_LIMIT -> {
                SetLimit m = (SetLimit) message;
                w.i64(m.seq()).string(m.claimId()).u8(m.priority()).i32(m.milliamps()).i32(m.ttlMillis());
            }
            case CLEAR_LIMIT -> {
                ClearLimit m = (ClearLimit) message;
                w.i64(m.seq()).string(m.claimId());
            }
            case RESET_FAULTS -> w.i64(((ResetFaults) message).seq());
            case STATUS_REQUEST -> w.i64(((StatusRequest) message).seq());
            case HELLO_ACK -> {
                HelloAck m = (HelloAck) message;
                w.u16(m.protocolVersion()).i64(m.safetyStartId());
            }
            case ACK -> w.i64(((Ack) message).seq());
            case ERROR -> {
                Error m = (Error) message;
                w.i64(m.seq()).u8(m.code().wire()).string(m.detail());
            }
            case STATUS -> writeStatus(w, ((StatusMessage) message).status());
            case FAULT_REPORT -> {
                FaultReport m = (FaultReport) message;
                w.u8(WireCodes.bit(m.fault())).bool(m.raised()).i64(m.boardMillis());
            }
        }
        return w.frame();
    }

    /**
     * Decodes one payload (without its length header), from the buffer's position
     * to its limit; the buffer itself is not moved.
     *
     * @throws LinkProtocolException naming what is wrong; its {@code seq()} is the
     *                               request's sequence number when that was read
     *                               before the failure
     */
    public static Message decode(ByteBuffer payload) {
        if (payload.remaining() > MAX_FRAME) {
            throw tooLarge(payload.remaining());
        }
        if (!payload.hasRemaining()) {
            throw new LinkProtocolException(ErrorCode.MALFORMED, "empty payload: a frame needs at least its type byte");
        }
        WireReader r = new WireReader(payload);
        int code = r.u8("type");
        MessageType type = MessageType.fromCode(code);
        if (type == null) {
            throw new LinkProtocolException(ErrorCode.UNKNOWN_TYPE, String.format("unknown message type 0x%02x", code));
        }
        r.message(type.messageName());
        try {
            Message m = decodeFields(type, r);
            r.requireEnd();
            return m;
        } catch (LinkProtocolException e) {
            throw e.withSeq(r.seq());
        }
    }

    /** The refusal of a frame whose length field says more than {@link #MAX_FRAME}. */
    public static LinkProtocolException tooLarge(int payloadBytes) {
        return new LinkProtocolException(ErrorCode.TOO_LARGE,
                "frame of " + payloadBytes + " bytes exceeds " + MAX_FRAME);
    }

    private static Message decodeFields(MessageType type, WireReader r) {
        return switch (type) {
            case HELLO -> new Hello(r.u16("protocolVersion"), r.string("peerName"));
            case KEEP_ALIVE -> new KeepAlive(r.seq("seq"));
            case AUTHORIZE -> new Authorize(r.seq("seq"), r.string("idTag"));
            case STOP -> new Stop(r.seq("seq"), WireCodes.stopReason(r.u8("reason"), r.name("reason")));
            case SET_LIMIT -> new SetLimit(r.seq("seq"), r.string("claimId"), r.u8("priority"),
                    r.i32("milliamps"), r.i32("ttlMillis"));
            case CLEAR_LIMIT -> new ClearLimit(r.seq("seq"), r.string("claimId"));
            case RESET_FAULTS -> new ResetFaults(r.seq("seq"));
            case STATUS_REQUEST -> new StatusRequest(r.seq("seq"));
            case HELLO_ACK -> new HelloAck(r.u16("protocolVersion"), r.i64("safetyStartId"));
            case ACK -> new Ack(r.seq("seq"));
            case ERROR -> new Error(readErrorSeq(r), WireCodes.errorCode(r.u8("code"), r.name("code")),
                    r.string("detail"));
            case STATUS -> new StatusMessage(readStatus(r));
            case FAULT_REPORT -> new FaultReport(WireCodes.fault(r.u8("fault"), r.name("fault")),
                    r.bool("raised"), r.i64("boardMillis"));
        };
    }

    private static long readErrorSeq(WireReader r) {
        // An Error may carry seq 0 ("the offending frame had none"), unlike requests.
        long seq = r.i64("seq");
        LinkValidator.requireRange(r.name("seq"), seq, 0, Long.MAX_VALUE);
        return seq;
    }

    private static void writeStatus(WireWriter w, ChargerStatus s) {
        w.i64(s.boardMillis())
                .u8(WireCodes.code(s.state()))
                .u16(s.pwmPermille())
                .bool(s.contactorCommanded())
                .bool(s.contactorFeedback())
                .bool(s.authorized())
                .i64(s.sessionId())
                .i64(s.sessionStartMillis())
                .i64(s.sessionEnergyWh())
                .i64(s.meterEnergyWh())
                .i32(s.currentMilliamps())
                .i32(s.powerWatts())
                .i32(s.limitMilliamps())
                .u8(WireCodes.code(s.limitSource()))
                .i32(s.cableMilliamps())
                .i32(s.temperatureDeciC())
                .u16(WireCodes.faultMask(s.activeFaults()))
                .u8(WireCodes.code(s.link()))
                .u8(WireCodes.code(s.fallback()))
                .bool(s.stopRequested())
                .bool(s.selfTestPassed())
                .string(s.idTag());
    }

    private static ChargerStatus readStatus(WireReader r) {
        // The idTag travels last, so every fixed-width field keeps a fixed offset; it is
        // read into locals in wire order because the record lists it after authorized.
        long boardMillis = r.i64("boardMillis");
        ChargerState state = WireCodes.chargerState(r.u8("state"), r.name("state"));
        int pwmPermille = r.u16("pwmPermille");
        boolean contactorCommanded = r.bool("contactorCommanded");
        boolean contactorFeedback = r.bool("contactorFeedback");
        boolean authorized = r.bool("authorized");
        long sessionId = r.i64("sessionId");
        long sessionStartMillis = r.i64("sessionStartMillis");
        long sessionEnergyWh = r.i64("sessionEnergyWh");
        long meterEnergyWh = r.i64("meterEnergyWh");
        int currentMilliamps = r.i32("currentMilliamps");
        int powerWatts = r.i32("powerWatts");
        int limitMilliamps = r.i32("limitMilliamps");
        LimitSource limitSource = WireCodes.limitSource(r.u8("limitSource"), r.name("limitSource"));
        int cableMilliamps = r.i32("cableMilliamps");
        int temperatureDeciC = r.i32("temperatureDeciC");
        Set<Fault> activeFaults = WireCodes.faults(r.u16("activeFaults"), r.name("activeFaults"));
        LinkState link = WireCodes.linkState(r.u8("link"), r.name("link"));
        FallbackMode fallback = WireCodes.fallbackMode(r.u8("fallback"), r.name("fallback"));
        boolean stopRequested = r.bool("stopRequested");
        boolean selfTestPassed = r.bool("selfTestPassed");
        String idTag = r.string("idTag");
        return new ChargerStatus(boardMillis, state, pwmPermille, contactorCommanded, contactorFeedback, authorized,
                idTag, sessionId, sessionStartMillis, sessionEnergyWh, meterEnergyWh, currentMilliamps, powerWatts,
                limitMilliamps, limitSource, cableMilliamps, temperatureDeciC, activeFaults, link, fallback,
                stopRequested, selfTestPassed);
    }
}
