package org.voltkeep.link;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.voltkeep.charging.ErrorCode;

/** Builds one frame: 2-byte length, then the payload written field by field. */
final class WireWriter {
    private final ByteBuffer buf = ByteBuffer.allocate(LinkCodec.HEADER_BYTES + LinkCodec.MAX_FRAME);
    private final String messageName;

    WireWriter(MessageType type) {
        this.messageName = type.messageName();
        buf.position(LinkCodec.HEADER_BYTES);
        buf.put((byte) type.code());
    }

    WireWriter u8(int v) {
        return put(() -> buf.put((byte) v));
    }

    WireWriter u16(int v) {
        return put(() -> buf.putShort((short) v));
    }

    WireWriter i32(int v) {
        return put(() -> buf.putInt(v));
    }

    WireWriter i64(long v) {
        return put(() -> buf.putLong(v));
    }

    WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** The message records already checked the text is printable ASCII of at most 255 characters. */
    WireWriter string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        return put(() -> buf.put((byte) bytes.length).put(bytes));
    }

    byte[] frame() {
        int payload = buf.position() - LinkCodec.HEADER_BYTES;
        buf.putShort(0, (short) payload);
        byte[] out = new byte[buf.position()];
        buf.get(0, out);
        return out;
    }

    private WireWriter put(Runnable write) {
        try {
            write.run();
        } catch (BufferOverflowException e) {
            throw new LinkProtocolException(ErrorCode.TOO_LARGE,
                    messageName + " does not fit in " + LinkCodec.MAX_FRAME + " bytes");
        }
        return this;
    }
}
