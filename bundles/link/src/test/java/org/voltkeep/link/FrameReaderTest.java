package org.voltkeep.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.link.testing.Payload;

class FrameReaderTest {

    private static FrameReader over(byte[] bytes) {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)));
    }

    /** A channel that hands out one byte per read, as a slow socket may. */
    private static FrameReader trickling(byte[] bytes) {
        ReadableByteChannel inner = Channels.newChannel(new ByteArrayInputStream(bytes));
        return new FrameReader(new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws java.io.IOException {
                if (!dst.hasRemaining()) {
                    return 0;
                }
                ByteBuffer one = ByteBuffer.allocate(1);
                int n = inner.read(one);
                if (n > 0) {
                    dst.put(one.flip());
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return inner.isOpen();
            }

            @Override
            public void close() throws java.io.IOException {
                inner.close();
            }
        });
    }

    @Test
    void framesArrivingOneByteAtATimeAreReassembled() throws Exception {
        Message a = new Message.Authorize(1, "TAG-1");
        Message b = new Message.SetLimit(2, "solar", 50, 10_000, 30_000);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(LinkCodec.encode(a));
        s.writeBytes(LinkCodec.encode(b));
        FrameReader r = trickling(s.toByteArray());
        assertThat(LinkCodec.decode(r.read())).isEqualTo(a);
        assertThat(LinkCodec.decode(r.read())).isEqualTo(b);
    }

    @Test
    void endOfStreamBetweenFramesIsAClose() throws Exception {
        FrameReader r = over(LinkCodec.encode(new Message.KeepAlive(1)));
        r.read();
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class).hasMessageContaining("closed");
    }

    @Test
    void endOfStreamInsideTheHeaderIsAClose() {
        assertThatThrownBy(() -> over(new byte[] {0}).read()).isInstanceOf(EOFException.class)
                .hasMessageContaining("middle of a frame");
    }

    @Test
    void endOfStreamInsideThePayloadIsAClose() {
        byte[] frame = LinkCodec.encode(new Message.Authorize(3, "ABCDEF"));
        byte[] cut = Arrays.copyOf(frame, frame.length - 2);
        assertThatThrownBy(() -> over(cut).read()).isInstanceOf(EOFException.class)
                .hasMessageContaining("after " + (frame.length - 4) + " of " + (frame.length - 2) + " bytes");
    }

    @Test
    void endOfStreamWhileSkippingAnOversizeFrameIsAClose() {
        byte[] cut = Arrays.copyOf(Payload.oversizeFrame(5000), 3000);
        assertThatThrownBy(() -> over(cut).read()).isInstanceOf(EOFException.class);
    }

    @Test
    void anOversizeFrameIsSkippedWholeAndReportedThenReadingGoesOn() throws Exception {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(Payload.oversizeFrame(65_535));
        s.writeBytes(Payload.oversizeFrame(LinkCodec.MAX_FRAME + 1));
        Message after = new Message.ResetFaults(4);
        s.writeBytes(LinkCodec.encode(after));
        FrameReader r = trickling(s.toByteArray());

        assertThatThrownBy(r::read).isInstanceOfSatisfying(LinkProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(e.detail()).isEqualTo("frame of 65535 bytes exceeds 1024");
        });
        assertThatThrownBy(r::read).isInstanceOfSatisfying(LinkProtocolException.class,
                e -> assertThat(e.detail()).isEqualTo("frame of 1025 bytes exceeds 1024"));
        assertThat(LinkCodec.decode(r.read())).isEqualTo(after);
    }

    @Test
    void aFrameOfExactlyMaxFrameIsRead() throws Exception {
        byte[] payload = new byte[LinkCodec.MAX_FRAME];
        payload[0] = 0x7e;
        ByteBuffer read = over(Payload.frame(payload)).read();
        assertThat(read.remaining()).isEqualTo(LinkCodec.MAX_FRAME);
        assertThat(read.isReadOnly()).isTrue();
    }

    @Test
    void anEmptyFrameIsReadAndThenRefusedByTheDecoder() throws Exception {
        ByteBuffer empty = over(new byte[] {0, 0}).read();
        assertThat(empty.remaining()).isZero();
        assertThatThrownBy(() -> LinkCodec.decode(empty)).isInstanceOfSatisfying(LinkProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED));
    }
}
