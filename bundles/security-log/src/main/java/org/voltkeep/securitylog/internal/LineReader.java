package org.voltkeep.securitylog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a log file line by line as bytes, with the byte offset of each line, a
 * length cap (a longer line is damage, not a record, and must not exhaust memory)
 * and whether the line ended with a newline (a last line without one is torn).
 */
public final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private long offset;
    private long number;
    private boolean eof;

    /**
     * @param number       1-based number of a line in the file
     * @param offset       byte offset of its first byte
     * @param bytes        its bytes without the newline; empty when overlong
     * @param length       its length in bytes without the newline (also when overlong)
     * @param terminated   it ended with a newline
     * @param overlong     longer than the cap
     */
    public record Line(long number, long offset, byte[] bytes, long length, boolean terminated, boolean overlong) {

        /** Strict UTF-8: invalid bytes are damage, not text to guess at. */
        public String text() throws CharacterCodingException {
            return utf8(bytes);
        }
    }

    /** Strict UTF-8 decoding. */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /**
     * @param in           read from its current position; not closed here
     * @param startOffset  the file offset {@code in} starts at
     * @param startNumber  the line number of the first line read, minus one
     */
    public LineReader(InputStream in, int maxLineBytes, long startOffset, long startNumber) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.offset = startOffset;
        this.number = startNumber;
    }

    /** The next line, or {@code null} at the end of input. */
    public Line next() throws IOException {
        byte[] acc = new byte[256];
        int len = 0;
        long total = 0;
        long start = offset;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (total == 0) {
                        return null;
                    }
                    return line(start, acc, len, total, false);
                }
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            int n = stop - pos;
            if (total + n <= maxLineBytes) {
                if (len + n > acc.length) {
                    acc = Arrays.copyOf(acc, Math.max(acc.length * 2, len + n));
                }
                System.arraycopy(buf, pos, acc, len, n);
                len += n;
            }
            total += n;
            offset += n;
            pos = stop;
            if (nl >= 0) {
                pos++;
                offset++;
                return line(start, acc, len, total, true);
            }
        }
    }

    private Line line(long start, byte[] acc, int len, long total, boolean terminated) {
        number++;
        boolean overlong = total > maxLineBytes;
        return new Line(number, start, overlong ? new byte[0] : Arrays.copyOf(acc, len), total, terminated, overlong);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }
}
