package org.voltkeep.link;

import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;

/**
 * The value ranges of the link protocol. Message records call these checks from
 * their constructors, so the decoder and the application-side client refuse the
 * same values with the same words. Numeric limits of limit requests are those of
 * {@link LimitRequest}: safety never sees a wire value that its own contract
 * would refuse.
 *
 * <p>Failures are {@link LinkProtocolException}s: {@link ErrorCode#MALFORMED} for
 * bytes the encoding cannot carry (control characters, non-ASCII),
 * {@link ErrorCode#OUT_OF_RANGE} for well-formed values outside their range.
 */
public final class LinkValidator {
    /** OCPP IdToken length. */
    public static final int MAX_ID_TAG = org.voltkeep.charging.IdTag.MAX_LENGTH;
    public static final int MAX_CLAIM_ID = 32;
    public static final int MAX_PEER_NAME = 64;
    /** A string's length travels in one byte. */
    public static final int MAX_STRING = 255;
    public static final int MAX_PRIORITY = LimitRequest.MAX_PRIORITY;
    public static final int MAX_MILLIAMPS = LimitRequest.MAX_MILLIAMPS;
    public static final int MAX_TTL_MILLIS = Math.toIntExact(LimitRequest.MAX_TTL.toMillis());
    public static final int MAX_PWM_PERMILLE = 1000;
    public static final int MAX_PROTOCOL_VERSION = 0xFFFF;

    private LinkValidator() {
    }

    /** Request sequence numbers start at 1; 0 is reserved for "no sequence number". */
    public static long requireSeq(String field, long seq) {
        if (seq < 1) {
            throw new LinkProtocolException(ErrorCode.OUT_OF_RANGE, field + " " + seq + " is below 1");
        }
        return seq;
    }

    public static long requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new LinkProtocolException(ErrorCode.OUT_OF_RANGE,
                    field + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    public static boolean isPrintable(int ch) {
        return ch >= 0x20 && ch <= 0x7E;
    }

    /** A string of printable US-ASCII (0x20..0x7E) of minLength..maxLength characters. */
    public static String requireText(String field, String text, int minLength, int maxLength) {
        if (text == null) {
            throw new NullPointerException(field);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isPrintable(c)) {
                String what = c <= 0xFF ? String.format("byte 0x%02x", (int) c) : String.format("character U+%04X", (int) c);
                throw new LinkProtocolException(ErrorCode.MALFORMED,
                        "string " + field + " has " + what + " at index " + i + "; only printable ASCII is allowed");
            }
        }
        if (text.length() < minLength || text.length() > maxLength) {
            throw new LinkProtocolException(ErrorCode.OUT_OF_RANGE,
                    field + " length " + text.length() + " is outside " + minLength + ".." + maxLength);
        }
        return text;
    }

    /** A claim id as {@link LimitRequest#validClaimId(String)} accepts it. */
    public static String requireClaimId(String field, String claimId) {
        requireText(field, claimId, 1, MAX_CLAIM_ID);
        if (!LimitRequest.validClaimId(claimId)) {
            throw new LinkProtocolException(ErrorCode.OUT_OF_RANGE,
                    field + " '" + claimId + "' must be 1.." + MAX_CLAIM_ID + " of A-Z a-z 0-9 . _ -");
        }
        return claimId;
    }

    /**
     * Makes any text fit a protocol string: non-printable characters become '?'
     * and the text is cut to maxLength. For details that come from elsewhere (an
     * exception message, a controller's refusal in another language).
     */
    public static String printable(String text, int maxLength) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), maxLength));
        for (int i = 0; i < text.length() && b.length() < maxLength; i++) {
            char c = text.charAt(i);
            b.append(isPrintable(c) ? c : '?');
        }
        return b.toString();
    }
}
