package org.voltkeep.control.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated lines of at most a given number of bytes. A longer
 * line is skipped up to its newline and reported, so one bad line does not end
 * the connection or fill memory.
 */
final class LineReader {
    /** One read: {@code text} is null when the line was too long or not UTF-8, then {@code problem} says why. */
    record Line(String text, String problem) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf;

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.buf = new byte[maxBytes];
    }

    /** The next line, or null at end of stream. A final line without newline still counts. */
    Line next() throws IOException {
        int len = 0;
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (len == 0 && !tooLong) {
                    return null;
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            if (len < maxBytes) {
                buf[len++] = (byte) b;
            } else {
                tooLong = true;
            }
        }
        if (tooLong) {
            return new Line(null, "line longer than " + maxBytes + " bytes");
        }
        if (len > 0 && buf[len - 1] == '\r') {
            len--;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Arrays.copyOf(buf, len)))
                    .toString();
            return new Line(text, null);
        } catch (CharacterCodingException e) {
            return new Line(null, "line is not valid UTF-8");
        }
    }
}
