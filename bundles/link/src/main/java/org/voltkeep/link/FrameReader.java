package org.voltkeep.link;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * Reads frames from a blocking channel (a Unix domain {@code SocketChannel}), one
 * at a time, with a fixed buffer of {@link LinkCodec#MAX_FRAME} bytes.
 *
 * <p>A frame whose length field is above MAX_FRAME is skipped (at most 65 535
 * bytes, read through the same buffer) and then reported, so the stream stays in
 * step and the next frame is read normally. Not thread-safe: one reader thread
 * per channel.
 */
public final class FrameReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(LinkCodec.HEADER_BYTES);
    private final ByteBuffer payload = ByteBuffer.allocate(LinkCodec.MAX_FRAME);

    public FrameReader(ReadableByteChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * Blocks for the next frame and returns its payload, read-only and valid until
     * the next call.
     *
     * @throws EOFException          the peer closed the connection (between frames or
     *                               in the middle of one)
     * @throws LinkProtocolException {@code TOO_LARGE} after a frame longer than
     *                               MAX_FRAME was skipped; the reader is ready for the
     *                               next frame
     * @throws IOException           the channel failed or was closed
     */
    public ByteBuffer read() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            throw new EOFException("connection closed by the peer");
        }
        int length = Short.toUnsignedInt(header.getShort(0));
        if (length > LinkCodec.MAX_FRAME) {
            skip(length);
            throw LinkCodec.tooLarge(length);
        }
        payload.clear().limit(length);
        fill(payload, false);
        payload.flip();
        return payload.asReadOnlyBuffer();
    }

    private void skip(int length) throws IOException {
        int left = length;
        while (left > 0) {
            payload.clear().limit(Math.min(left, payload.capacity()));
            fill(payload, false);
            left -= payload.position();
        }
    }

    /**
     * Fills the buffer to its limit. Returns false on end of stream before the first
     * byte when that is allowed (a clean close between frames).
     */
    private boolean fill(ByteBuffer buf, boolean eofAllowedAtStart) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            int n = channel.read(buf);
            if (n < 0) {
                if (eofAllowedAtStart && buf.position() == start) {
                    return false;
                }
                throw new EOFException("connection closed in the middle of a frame, after "
                        + (buf.position() - start) + " of " + (buf.limit() - start) + " bytes");
            }
        }
        return true;
    }
}
