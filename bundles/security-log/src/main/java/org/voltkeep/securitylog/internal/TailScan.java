package org.voltkeep.securitylog.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds line boundaries from the end of a file, reading it backwards in blocks,
 * so that appending and {@code tail} cost the same however long the log is.
 */
public final class TailScan {
    private static final int BLOCK = 8 * 1024;

    private TailScan() {
    }

    /**
     * The offset just after the last newline: where complete lines end and a torn
     * tail (if any) begins. 0 when the file has no newline at all.
     */
    public static long completeEnd(FileChannel ch, long size) throws IOException {
        long nl = lastNewlineBefore(ch, size, 0);
        return nl < 0 ? 0 : nl + 1;
    }

    /**
     * The offset where the last {@code n} complete lines before {@code completeEnd}
     * begin (0 when there are fewer). {@code completeEnd} must follow a newline.
     */
    public static long startOfLastLines(FileChannel ch, long completeEnd, int n) throws IOException {
        long from = completeEnd - 1; // the newline that ends the last line
        long start = 0;
        for (int i = 0; i < n; i++) {
            long nl = lastNewlineBefore(ch, from, 0);
            if (nl < 0) {
                return 0;
            }
            start = nl + 1;
            from = nl;
        }
        return start;
    }

    /** The position of the last newline in {@code [floor, before)}, or -1. */
    static long lastNewlineBefore(FileChannel ch, long before, long floor) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        long hi = before;
        while (hi > floor) {
            long lo = Math.max(floor, hi - BLOCK);
            b.clear().limit((int) (hi - lo));
            readFully(ch, b, lo);
            for (int i = (int) (hi - lo) - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return lo + i;
                }
            }
            hi = lo;
        }
        return -1;
    }

    public static byte[] read(FileChannel ch, long from, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        readFully(ch, b, from);
        return b.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("file ended at byte " + p + " while reading it (shortened by someone else?)");
            }
            p += n;
        }
    }
}
