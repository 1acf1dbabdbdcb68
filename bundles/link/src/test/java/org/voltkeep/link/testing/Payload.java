package org.voltkeep.link.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built payloads and frames, for bytes that {@code LinkCodec} would never write. */
public final class Payload {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Payload type(int typeCode) {
        return new Payload().u8(typeCode);
    }

    public static Payload empty() {
        return new Payload();
    }

    public Payload u8(int v) {
        out.write(v & 0xFF);
        return this;
    }

    public Payload u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    public Payload i32(int v) {
        return u16(v >>> 16).u16(v);
    }

    public Payload i64(long v) {
        return i32((int) (v >>> 32)).i32((int) v);
    }

    /** A protocol string whose bytes are the text's ISO-8859-1 bytes, unchecked. */
    public Payload str(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        u8(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public Payload raw(int... bytes) {
        for (int b : bytes) {
            u8(b);
        }
        return this;
    }

    public byte[] payload() {
        return out.toByteArray();
    }

    /** The payload behind its 2-byte length header. */
    public byte[] frame() {
        return frame(payload());
    }

    public static byte[] frame(byte[] payload) {
        byte[] f = new byte[payload.length + 2];
        f[0] = (byte) (payload.length >>> 8);
        f[1] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 2, payload.length);
        return f;
    }

    /** A header announcing {@code length} bytes, followed by that many filler bytes. */
    public static byte[] oversizeFrame(int length) {
        byte[] f = new byte[length + 2];
        f[0] = (byte) (length >>> 8);
        f[1] = (byte) length;
        for (int i = 2; i < f.length; i++) {
            f[i] = (byte) 0x55;
        }
        return f;
    }
}
