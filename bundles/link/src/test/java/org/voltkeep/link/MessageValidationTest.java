package org.voltkeep.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.link.testing.BadFrames;

class MessageValidationTest {
    private static final long SEED = Long.getLong("link.seed", System.nanoTime());

    @Test
    void setLimitAcceptsExactlyWhatLimitRequestAccepts() {
        Random r = new Random(SEED);
        String[] claims = {"solar", "a/b", "", "x".repeat(32), "x".repeat(33), "ocpp.tx-1_2", "with space"};
        for (int i = 0; i < 20_000; i++) {
            String claim = claims[r.nextInt(claims.length)];
            int priority = r.nextInt(260) - 20;
            int milliamps = r.nextInt(90_000) - 5_000;
            int ttl = r.nextInt(3) == 0 ? r.nextInt(7) - 3 : r.nextInt(3_700_000) - 50_000;
            boolean contract = catchThrowable(() -> new LimitRequest(claim, priority, milliamps,
                    Duration.ofMillis(ttl))) == null;
            boolean wire = catchThrowable(() -> new Message.SetLimit(1, claim, priority, milliamps, ttl)) == null;
            assertThat(wire).as("seed %d: %s %d %d %d", SEED, claim, priority, milliamps, ttl).isEqualTo(contract);
        }
    }

    @Test
    void setLimitConvertsToAndFromTheContract() {
        LimitRequest request = new LimitRequest("solar", 40, 13_000, Duration.ofSeconds(90));
        Message.SetLimit wire = Message.SetLimit.of(8, request);
        assertThat(wire).isEqualTo(new Message.SetLimit(8, "solar", 40, 13_000, 90_000));
        assertThat(wire.toLimitRequest()).isEqualTo(request);
    }

    @Test
    void aTimeToLiveBelowOneMillisecondCannotTravel() {
        LimitRequest request = new LimitRequest("solar", 40, 13_000, Duration.ofNanos(500));
        assertThatThrownBy(() -> Message.SetLimit.of(8, request)).isInstanceOfSatisfying(LinkProtocolException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
                    assertThat(e.detail()).contains("SetLimit.ttlMillis 0");
                });
    }

    @Test
    void idTagsOutsidePrintableAsciiAreRefusedWithTheCharacter() {
        assertThatThrownBy(() -> new Message.Authorize(1, "caf\u00e9")).isInstanceOfSatisfying(
                LinkProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
                    assertThat(e.detail()).contains("Authorize.idTag has byte 0xe9 at index 3");
                });
        assertThatThrownBy(() -> new Message.Authorize(1, "\u20ac")).hasMessageContaining("character U+20AC");
    }

    @Test
    void aStatusIdTagMayBeEmptyButNotOutsidePrintableAsciiOrLongerThanAnAuthorizeOne() {
        ChargerStatus s = BadFrames.sampleStatus();
        assertThat(new Message.StatusMessage(withIdTag(s, "")).status().idTag()).isEmpty();
        assertThat(new Message.StatusMessage(withIdTag(s, "x".repeat(36))).status().idTag()).hasSize(36);
        assertThatThrownBy(() -> new Message.StatusMessage(withIdTag(s, "caf\u00e9"))).isInstanceOfSatisfying(
                LinkProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
                    assertThat(e.detail()).contains("StatusMessage.idTag has byte 0xe9 at index 3");
                });
        assertThatThrownBy(() -> new Message.StatusMessage(withIdTag(s, "x".repeat(37)))).isInstanceOfSatisfying(
                LinkProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
                    assertThat(e.detail()).contains("StatusMessage.idTag length 37 is outside 0..36");
                });
    }

    private static ChargerStatus withIdTag(ChargerStatus s, String idTag) {
        return new ChargerStatus(s.boardMillis(), s.state(), s.pwmPermille(), s.contactorCommanded(),
                s.contactorFeedback(), s.authorized(), idTag, s.sessionId(), s.sessionStartMillis(),
                s.sessionEnergyWh(), s.meterEnergyWh(), s.currentMilliamps(), s.powerWatts(), s.limitMilliamps(),
                s.limitSource(), s.cableMilliamps(), s.temperatureDeciC(), s.activeFaults(), s.link(), s.fallback(),
                s.stopRequested(), s.selfTestPassed());
    }

    @Test
    void errorsCannotSayNone() {
        assertThatThrownBy(() -> new Message.Error(1, ErrorCode.NONE, "")).isInstanceOf(LinkProtocolException.class);
    }

    @Test
    void errorOfMakesAnyTextFit() {
        Message.Error e = Message.Error.of(3, ErrorCode.INTERNAL, "temperature 80 \u00b0C\n" + "x".repeat(400));
        assertThat(e.detail()).hasSize(LinkValidator.MAX_STRING).startsWith("temperature 80 ?C?x");
        assertThat(LinkCodec.decode(java.nio.ByteBuffer.wrap(LinkCodec.encode(e), 2, LinkCodec.encode(e).length - 2)))
                .isEqualTo(e);
    }

    @Test
    void withSeqKeepsAnAlreadyKnownSeq() {
        LinkProtocolException e = new LinkProtocolException(ErrorCode.MALFORMED, "x", 4);
        assertThat(e.withSeq(9).seq()).isEqualTo(4);
        assertThat(new LinkProtocolException(ErrorCode.MALFORMED, "x").withSeq(9).seq()).isEqualTo(9);
        assertThat(e.getMessage()).isEqualTo("MALFORMED: x");
    }
}
