package org.voltkeep.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.StopReason;
import org.voltkeep.link.testing.BadFrames;

/**
 * The byte layout the README documents. These frames are the specification: an
 * encoder change that breaks one breaks every deployed peer.
 */
class WireFormatTest {
    private static String hex(Message m) {
        return HexFormat.of().formatHex(LinkCodec.encode(m));
    }

    @Test
    void helloIsVersionThenPeerName() {
        assertThat(hex(new Message.Hello(2, "app"))).isEqualTo("0007" + "01" + "0002" + "03617070");
    }

    @Test
    void authorizeIsSeqThenIdTag() {
        assertThat(hex(new Message.Authorize(5, "AB"))).isEqualTo("000c" + "03" + "0000000000000005" + "024142");
    }

    @Test
    void stopReasonsUseExplicitCodesNotOrdinals() {
        assertThat(hex(new Message.Stop(1, StopReason.LOCAL))).endsWith("01");
        assertThat(hex(new Message.Stop(1, StopReason.OTHER))).endsWith("07");
    }

    @Test
    void setLimitFieldOrder() {
        assertThat(hex(new Message.SetLimit(2, "pv", 100, 16_000, 60_000)))
                .isEqualTo("0015" + "05" + "0000000000000002" + "027076" + "64" + "00003e80" + "0000ea60");
    }

    @Test
    void errorCarriesTheErrorCodeWireNumber() {
        assertThat(hex(new Message.Error(0, ErrorCode.RATE_LIMITED, "x")))
                .isEqualTo("000c" + "83" + "0000000000000000" + "05" + "0178");
    }

    @Test
    void faultReportUsesTheFaultBitNumber() {
        assertThat(hex(new Message.FaultReport(Fault.WATCHDOG_EXPIRED, true, 3)))
                .isEqualTo("000b" + "85" + "08" + "01" + "0000000000000003");
    }

    @Test
    void statusMessageIs74FixedBytesWithTheFaultMaskWhereTheReadmeSaysItThenTheIdTag() {
        byte[] frame = LinkCodec.encode(new Message.StatusMessage(BadFrames.sampleStatus()));
        assertThat(frame.length - LinkCodec.HEADER_BYTES).isEqualTo(74 + 1 + "RFID-0001".length());
        // OVER_TEMPERATURE is bit 3; the mask sits at payload offset 68.
        assertThat(frame[LinkCodec.HEADER_BYTES + 68]).isEqualTo((byte) 0);
        assertThat(frame[LinkCodec.HEADER_BYTES + 69]).isEqualTo((byte) 0x08);
        // selfTestPassed at 73, then the idTag's length byte at 74 and its characters.
        assertThat(HexFormat.of().formatHex(frame, LinkCodec.HEADER_BYTES + 73, frame.length))
                .isEqualTo("01" + "09" + "524649442d30303031");
    }

    @Test
    void aStatusWithoutIdTagEndsWithAnEmptyString() {
        ChargerStatus s = BadFrames.sampleStatus();
        ChargerStatus untagged = new ChargerStatus(s.boardMillis(), s.state(), s.pwmPermille(), s.contactorCommanded(),
                s.contactorFeedback(), false, "", s.sessionId(), s.sessionStartMillis(), s.sessionEnergyWh(),
                s.meterEnergyWh(), s.currentMilliamps(), s.powerWatts(), s.limitMilliamps(), s.limitSource(),
                s.cableMilliamps(), s.temperatureDeciC(), s.activeFaults(), s.link(), s.fallback(), s.stopRequested(),
                s.selfTestPassed());
        byte[] frame = LinkCodec.encode(new Message.StatusMessage(untagged));
        assertThat(frame.length - LinkCodec.HEADER_BYTES).isEqualTo(75);
        assertThat(frame[frame.length - 1]).isZero();
    }

    @Test
    void everyFaultHasItsOwnBit() {
        int all = WireCodes.faultMask(Set.of(Fault.values()));
        assertThat(Integer.bitCount(all)).isEqualTo(Fault.values().length);
        assertThat(all & ~0xFFFF).isZero();
    }
}
