package org.voltkeep.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.voltkeep.charging.ErrorCode;

/**
 * Reads the fields of one payload in order. Every read names its field, so a
 * refusal says which field of which message was short or wrong.
 */
final class WireReader {
    private final ByteBuffer buf;
    private String messageName = "payload";
    private long seq;

    WireReader(ByteBuffer payload) {
        this.buf = payload.slice().order(ByteOrder.BIG_ENDIAN);
    }

    void message(String name) {
        this.messageName = name;
    }

    /** The sequence number read so far, 0 when none was read or it was invalid. */
    long seq() {
        return seq;
    }

    int u8(String field) {
        need(field, 1);
        return Byte.toUnsignedInt(buf.get());
    }

    int u16(String field) {
        need(field, 2);
        return Short.toUnsignedInt(buf.getShort());
    }

    int i32(String field) {
        need(field, 4);
        return buf.getInt();
    }

    long i64(String field) {
        need(field, 8);
        return buf.getLong();
    }

    /** A request's sequence number: read, checked, and remembered for the error reply. */
    long seq(String field) {
        long v = i64(field);
        LinkValidator.requireSeq(name(field), v);
        seq = v;
        return v;
    }

    boolean bool(String field) {
        int v = u8(field);
        if (v > 1) {
            throw new LinkProtocolException(ErrorCode.MALFORMED, name(field) + " is " + v + ", not 0 or 1");
        }
        return v == 1;
    }

    String string(String field) {
        int length = u8(field);
        need(field, length);
        byte[] bytes = new byte[length];
        buf.get(bytes);
        for (int i = 0; i < length; i++) {
            int b = Byte.toUnsignedInt(bytes[i]);
            if (!LinkValidator.isPrintable(b)) {
                throw new LinkProtocolException(ErrorCode.MALFORMED, String.format(
                        "string %s has byte 0x%02x at index %d; only printable ASCII is allowed", name(field), b, i));
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    void requireEnd() {
        int left = buf.remaining();
        if (left > 0) {
            throw new LinkProtocolException(ErrorCode.MALFORMED,
                    messageName + " has " + left + " trailing byte" + (left == 1 ? "" : "s") + " after its last field");
        }
    }

    String name(String field) {
        return messageName + "." + field;
    }

    private void need(String field, int bytes) {
        if (buf.remaining() < bytes) {
            throw new LinkProtocolException(ErrorCode.MALFORMED, name(field) + " is truncated: needs " + bytes
                    + " byte" + (bytes == 1 ? "" : "s") + ", " + buf.remaining() + " left");
        }
    }
}
