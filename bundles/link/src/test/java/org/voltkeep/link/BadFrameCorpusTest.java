package org.voltkeep.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import java.nio.ByteBuffer;
import java.nio.channels.Channels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.link.testing.BadFrames;
import org.voltkeep.link.testing.BadFrames.BadFrame;

class BadFrameCorpusTest {

    static List<BadFrame> corpus() {
        return BadFrames.all();
    }

    @Test
    void theCorpusHasAtLeastThirtyDistinctFrames() {
        Set<String> distinct = new HashSet<>();
        for (BadFrame f : corpus()) {
            distinct.add(java.util.HexFormat.of().formatHex(f.frame()));
        }
        assertThat(distinct).hasSize(corpus().size()).hasSizeGreaterThanOrEqualTo(30);
        Set<ErrorCode> codes = new HashSet<>();
        corpus().forEach(f -> codes.add(f.code()));
        assertThat(codes).contains(ErrorCode.MALFORMED, ErrorCode.OUT_OF_RANGE, ErrorCode.UNKNOWN_TYPE,
                ErrorCode.TOO_LARGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadFrameIsRefusedWithItsReasonAndTheStreamStaysInStep(BadFrame bad) throws Exception {
        Message next = new Message.StatusRequest(99);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(bad.frame());
        stream.writeBytes(LinkCodec.encode(next));
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(stream.toByteArray())));

        LinkProtocolException e = catchThrowableOfType(LinkProtocolException.class,
                () -> LinkCodec.decode(reader.read()));

        assertThat(e).as("%s must be refused", bad.name()).isNotNull();
        assertThat(e.code()).as(e.detail()).isEqualTo(bad.code());
        assertThat(e.detail()).contains(bad.detailFragment());
        assertThat(e.seq()).as(e.detail()).isEqualTo(bad.seq());
        assertThat(LinkCodec.decode(reader.read())).isEqualTo(next);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyPrefixOfABadPayloadDecodesOrIsRefusedCleanly(BadFrame bad) {
        // Cut anywhere, a payload is either a valid message (the bad part was cut off)
        // or a clean refusal, never another exception type.
        if (bad.code() == ErrorCode.TOO_LARGE) {
            return;
        }
        byte[] payload = java.util.Arrays.copyOfRange(bad.frame(), LinkCodec.HEADER_BYTES, bad.frame().length);
        for (int n = 0; n < payload.length; n++) {
            ByteBuffer prefix = ByteBuffer.wrap(payload, 0, n);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> LinkCodec.decode(prefix));
            if (t != null) {
                assertThat(t).as("%s cut to %d bytes", bad.name(), n).isInstanceOf(LinkProtocolException.class);
            }
        }
    }

    @Test
    void aPayloadLongerThanMaxFrameHandedToTheDecoderIsTooLarge() {
        LinkProtocolException e = catchThrowableOfType(LinkProtocolException.class,
                () -> LinkCodec.decode(ByteBuffer.allocate(LinkCodec.MAX_FRAME + 1)));
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(e.detail()).isEqualTo("frame of 1025 bytes exceeds 1024");
    }
}
