package org.voltkeep.hal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** IEC 61851-1 Table A.7: duty from current and back. */
class PwmDutyTest {
    @ParameterizedTest(name = "{0} mA -> {1} permille")
    @CsvSource({
        "6000, 100",    // 6 A = 10 %
        "10000, 166",   // 10 A = 16.67 %, rounded down
        "13000, 216",
        "16000, 266",   // 16 A = 26.67 %
        "20000, 333",
        "32000, 533",   // 32 A = 53.3 %
        "51000, 850",   // 51 A = 85 %: end of the first segment
        "63000, 892",   // 63 A = 63 / 2.5 + 64 = 89.2 %
        "80000, 960",   // 80 A = 96 %
        "90000, 960",   // capped at 80 A
    })
    void dutyFollowsTheStandardsFormula(int milliamps, int permille) {
        assertThat(PwmDuty.forCurrent(new Current(milliamps)).permille()).isEqualTo(permille);
    }

    @ParameterizedTest
    @CsvSource({"0", "1000", "5999"})
    void belowSixAmpsNoCurrentIsOffered(int milliamps) {
        assertThat(PwmDuty.forCurrent(new Current(milliamps))).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(PwmDuty.STATIC_HIGH.oscillating()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"6000", "10000", "16000", "32000", "51000", "63000", "80000"})
    void theOfferNeverExceedsTheLimitAndIsWithinOneStep(int milliamps) {
        Current offered = PwmDuty.forCurrent(new Current(milliamps)).offeredCurrent();
        assertThat(offered.milliamps()).isLessThanOrEqualTo(milliamps).isGreaterThan(milliamps - 260);
    }

    @Test
    void staticLevelsOfferNothing() {
        assertThat(PwmDuty.STATIC_HIGH.offeredCurrent()).isEqualTo(Current.ZERO);
        assertThat(PwmDuty.STATIC_LOW.offeredCurrent()).isEqualTo(Current.ZERO);
        assertThat(new PwmDuty(50).offeredCurrent()).as("5 % means digital communication, not a current").isEqualTo(Current.ZERO);
        assertThat(new PwmDuty(90).offeredCurrent()).as("8 %..10 % reads as 6 A").isEqualTo(Current.ofAmps(6));
    }

    @Test
    void dutyOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> new PwmDuty(1001)).hasMessageContaining("outside 0..1000");
        assertThatThrownBy(() -> new PwmDuty(-1)).hasMessageContaining("outside 0..1000");
    }

    @Test
    void cableRatingsMatchTheProximityResistorTable() {
        assertThat(CableRating.A13.maxCurrent()).isEqualTo(Current.ofAmps(13));
        assertThat(CableRating.A63.maxCurrent()).isEqualTo(Current.ofAmps(63));
        assertThat(CableRating.NONE.present()).isFalse();
    }
}
