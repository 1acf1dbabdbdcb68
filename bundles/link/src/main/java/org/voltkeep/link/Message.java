package org.voltkeep.link;

import java.time.Duration;
import java.util.Objects;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.StopReason;

/**
 * One message of the link protocol. Every value is valid by construction: the
 * constructors apply {@link LinkValidator}'s ranges and throw
 * {@link LinkProtocolException} otherwise, so whatever the decoder returns is
 * safe to act on and whatever a client builds can be encoded.
 *
 * <p>The application domain sends {@link FromApplication} messages: one
 * {@link Hello}, then {@link Request}s with strictly increasing sequence numbers.
 * The safety domain sends {@link FromSafety} messages: a {@link HelloAck}, an
 * {@link Ack} or {@link Error} per request, and unsolicited
 * {@link StatusMessage}s and {@link FaultReport}s.
 */
public sealed interface Message permits Message.FromApplication, Message.FromSafety {

    MessageType type();

    /** What the application domain may send. */
    sealed interface FromApplication extends Message permits Hello, Request {
    }

    /** A request that safety answers with {@link Ack} or {@link Error} carrying its {@link #seq()}. */
    sealed interface Request extends FromApplication
            permits KeepAlive, Authorize, Stop, SetLimit, ClearLimit, ResetFaults, StatusRequest {
        /** Strictly increasing per connection, starting at 1 or above. */
        long seq();
    }

    /** What the safety domain sends. */
    sealed interface FromSafety extends Message permits HelloAck, Ack, Error, StatusMessage, FaultReport {
    }

    /** First message on a connection; safety answers HelloAck, or Error VERSION_MISMATCH and closes. */
    record Hello(int protocolVersion, String peerName) implements FromApplication {
        public Hello {
            LinkValidator.requireRange("Hello.protocolVersion", protocolVersion, 0, LinkValidator.MAX_PROTOCOL_VERSION);
            LinkValidator.requireText("Hello.peerName", peerName, 1, LinkValidator.MAX_PEER_NAME);
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /** Tells safety the application domain is alive; safety answers Ack. */
    record KeepAlive(long seq) implements Request {
        public KeepAlive {
            LinkValidator.requireSeq("KeepAlive.seq", seq);
        }

        @Override
        public MessageType type() {
            return MessageType.KEEP_ALIVE;
        }
    }

    /** Authorizes the current (or next) session for an OCPP-style id tag. */
    record Authorize(long seq, String idTag) implements Request {
        public Authorize {
            LinkValidator.requireSeq("Authorize.seq", seq);
            LinkValidator.requireText("Authorize.idTag", idTag, 1, LinkValidator.MAX_ID_TAG);
        }

        @Override
        public MessageType type() {
            return MessageType.AUTHORIZE;
        }
    }

    record Stop(long seq, StopReason reason) implements Request {
        public Stop {
            LinkValidator.requireSeq("Stop.seq", seq);
            Objects.requireNonNull(reason, "Stop.reason");
        }

        @Override
        public MessageType type() {
            return MessageType.STOP;
        }
    }

    /** A {@link LimitRequest} on the wire; the ranges are LimitRequest's own. */
    record SetLimit(long seq, String claimId, int priority, int milliamps, int ttlMillis) implements Request {
        public SetLimit {
            LinkValidator.requireSeq("SetLimit.seq", seq);
            LinkValidator.requireClaimId("SetLimit.claimId", claimId);
            LinkValidator.requireRange("SetLimit.priority", priority, 0, LinkValidator.MAX_PRIORITY);
            LinkValidator.requireRange("SetLimit.milliamps", milliamps, 0, LinkValidator.MAX_MILLIAMPS);
            LinkValidator.requireRange("SetLimit.ttlMillis", ttlMillis, 1, LinkValidator.MAX_TTL_MILLIS);
        }

        /**
         * The wire form of a limit request. A time to live that is not a whole number
         * of milliseconds is cut to whole milliseconds (below 1 ms it is refused).
         */
        public static SetLimit of(long seq, LimitRequest request) {
            long ttlMillis = request.ttl().toMillis();
            LinkValidator.requireRange("SetLimit.ttlMillis", ttlMillis, 1, LinkValidator.MAX_TTL_MILLIS);
            return new SetLimit(seq, request.claimId(), request.priority(), request.milliamps(), (int) ttlMillis);
        }

        public LimitRequest toLimitRequest() {
            return new LimitRequest(claimId, priority, milliamps, Duration.ofMillis(ttlMillis));
        }

        @Override
        public MessageType type() {
            return MessageType.SET_LIMIT;
        }
    }

    record ClearLimit(long seq, String claimId) implements Request {
        public ClearLimit {
            LinkValidator.requireSeq("ClearLimit.seq", seq);
            LinkValidator.requireClaimId("ClearLimit.claimId", claimId);
        }

        @Override
        public MessageType type() {
            return MessageType.CLEAR_LIMIT;
        }
    }

    record ResetFaults(long seq) implements Request {
        public ResetFaults {
            LinkValidator.requireSeq("ResetFaults.seq", seq);
        }

        @Override
        public MessageType type() {
            return MessageType.RESET_FAULTS;
        }
    }

    /** Asks for a status now; safety answers Ack, then a StatusMessage. */
    record StatusRequest(long seq) implements Request {
        public StatusRequest {
            LinkValidator.requireSeq("StatusRequest.seq", seq);
        }

        @Override
        public MessageType type() {
            return MessageType.STATUS_REQUEST;
        }
    }

    /**
     * @param safetyStartId changes every time the safety domain starts: a client that
     *                      sees a new one knows every limit it held is gone
     */
    record HelloAck(int protocolVersion, long safetyStartId) implements FromSafety {
        public HelloAck {
            LinkValidator.requireRange("HelloAck.protocolVersion", protocolVersion, 0, LinkValidator.MAX_PROTOCOL_VERSION);
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO_ACK;
        }
    }

    /** The request with this seq was accepted. */
    record Ack(long seq) implements FromSafety {
        public Ack {
            LinkValidator.requireSeq("Ack.seq", seq);
        }

        @Override
        public MessageType type() {
            return MessageType.ACK;
        }
    }

    /**
     * A refusal. seq is that of the refused request, 0 when the offending frame had
     * no readable sequence number.
     */
    record Error(long seq, ErrorCode code, String detail) implements FromSafety {
        public Error {
            LinkValidator.requireRange("Error.seq", seq, 0, Long.MAX_VALUE);
            Objects.requireNonNull(code, "Error.code");
            if (code == ErrorCode.NONE) {
                throw new LinkProtocolException(ErrorCode.OUT_OF_RANGE, "Error.code NONE is not an error");
            }
            LinkValidator.requireText("Error.detail", detail, 0, LinkValidator.MAX_STRING);
        }

        /** An Error whose detail is made printable and cut to fit, whatever its source. */
        public static Error of(long seq, ErrorCode code, String anyDetail) {
            return new Error(seq, code, LinkValidator.printable(anyDetail, LinkValidator.MAX_STRING));
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }

    record StatusMessage(ChargerStatus status) implements FromSafety {
        public StatusMessage {
            Objects.requireNonNull(status, "StatusMessage.status");
            Objects.requireNonNull(status.state(), "StatusMessage.state");
            Objects.requireNonNull(status.limitSource(), "StatusMessage.limitSource");
            Objects.requireNonNull(status.link(), "StatusMessage.link");
            Objects.requireNonNull(status.fallback(), "StatusMessage.fallback");
            LinkValidator.requireRange("StatusMessage.pwmPermille", status.pwmPermille(), 0, LinkValidator.MAX_PWM_PERMILLE);
            LinkValidator.requireText("StatusMessage.idTag", status.idTag(), 0, LinkValidator.MAX_ID_TAG);
        }

        @Override
        public MessageType type() {
            return MessageType.STATUS;
        }
    }

    /** A fault appeared (raised) or cleared, at this board time. */
    record FaultReport(Fault fault, boolean raised, long boardMillis) implements FromSafety {
        public FaultReport {
            Objects.requireNonNull(fault, "FaultReport.fault");
        }

        @Override
        public MessageType type() {
            return MessageType.FAULT_REPORT;
        }
    }
}
