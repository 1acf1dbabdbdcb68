package org.voltkeep.image.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A range of a byte array that nobody writes to any more: an entry of an image read into
 * memory once. Hashing, streaming and comparing work in place; {@link #copy()} is the only
 * way to get bytes that can be changed.
 */
public final class Slice {
    private final byte[] array;
    private final int offset;
    private final int length;

    private Slice(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A view of {@code length} bytes at {@code offset}; the caller no longer writes to {@code array}. */
    public static Slice of(byte[] array, int offset, int length) {
        return new Slice(array, offset, length);
    }

    /** A view of all of {@code array}; the caller no longer writes to it. */
    public static Slice of(byte[] array) {
        return new Slice(array, 0, array.length);
    }

    public int length() {
        return length;
    }

    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    /** A copy of the bytes. */
    public byte[] copy() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** The bytes as a stream, without copying them. */
    public InputStream stream() {
        return new ByteArrayInputStream(array, offset, length);
    }

    public void updateDigest(MessageDigest md) {
        md.update(array, offset, length);
    }

    public String sha256Hex() {
        MessageDigest md = Hashes.sha256();
        updateDigest(md);
        return HexFormat.of().formatHex(md.digest());
    }

    public boolean contentEquals(Slice other) {
        return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
    }
}
