package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.voltkeep.safety.internal.Fixtures.CFG;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.Temperature;

class LimitArbiterTest {
    private static final Temperature COOL = Temperature.ofCelsius(25);

    private static EffectiveLimit arbitrate(int hardwareAmps, CableRating cable, Temperature t, LinkState link,
            List<LimitClaim> claims, SafetyConfig cfg) {
        return LimitArbiter.arbitrate(Current.ofAmps(hardwareAmps), cable, t, link, claims, cfg);
    }

    private static LimitClaim claim(String id, int priority, int milliamps, long expires) {
        return new LimitClaim(id, priority, milliamps, expires);
    }

    @Test
    void each_fixed_source_wins_when_it_is_lowest() {
        assertThat(arbitrate(16, CableRating.A32, COOL, LinkState.UP, List.of(), CFG))
                .isEqualTo(new EffectiveLimit(Current.ofAmps(16), LimitSource.HARDWARE, ""));
        assertThat(arbitrate(63, CableRating.A20, COOL, LinkState.UP, List.of(), CFG))
                .isEqualTo(new EffectiveLimit(Current.ofAmps(20), LimitSource.CABLE, ""));
        assertThat(arbitrate(63, CableRating.A63, COOL, LinkState.UP, List.of(), CFG))
                .isEqualTo(new EffectiveLimit(CFG.configuredMax(), LimitSource.CONFIGURED, ""));
        assertThat(arbitrate(63, CableRating.A63, Temperature.ofCelsius(70), LinkState.UP, List.of(), CFG).source())
                .isEqualTo(LimitSource.THERMAL_DERATING);
        assertThat(arbitrate(63, CableRating.A63, COOL, LinkState.SILENT_FALLBACK, List.of(), CFG))
                .isEqualTo(new EffectiveLimit(CFG.fallbackCurrent(), LimitSource.LINK_FALLBACK, ""));
        assertThat(arbitrate(63, CableRating.A63, COOL, LinkState.UP, List.of(claim("app", 10, 10_000, 99)), CFG))
                .isEqualTo(new EffectiveLimit(Current.ofAmps(10), LimitSource.REQUEST, "app"));
    }

    @Test
    void no_cable_means_zero() {
        EffectiveLimit l = arbitrate(32, CableRating.NONE, COOL, LinkState.UP, List.of(), CFG);
        assertThat(l.current()).isEqualTo(Current.ZERO);
        assertThat(l.source()).isEqualTo(LimitSource.CABLE);
        assertThat(l.allowsOffer()).isFalse();
    }

    @Test
    void the_lowest_request_wins_and_names_its_claim() {
        List<LimitClaim> claims = List.of(claim("grid", 90, 20_000, 99), claim("solar", 10, 8_500, 99),
                claim("user", 50, 12_000, 99));
        EffectiveLimit l = arbitrate(32, CableRating.A32, COOL, LinkState.UP, claims, CFG);
        assertThat(l).isEqualTo(new EffectiveLimit(new Current(8_500), LimitSource.REQUEST, "solar"));
    }

    @Test
    void a_silent_link_ignores_every_request_and_caps_at_the_fallback_current() {
        List<LimitClaim> claims = List.of(claim("solar", 10, 3_000, 99));
        EffectiveLimit l = arbitrate(32, CableRating.A32, COOL, LinkState.SILENT_FALLBACK, claims, CFG);
        assertThat(l).isEqualTo(new EffectiveLimit(Current.ofAmps(6), LimitSource.LINK_FALLBACK, ""));

        SafetyConfig stop = CFG.toBuilder().fallback(FallbackMode.STOP).build();
        EffectiveLimit s = arbitrate(32, CableRating.A32, COOL, LinkState.SILENT_FALLBACK, claims, stop);
        assertThat(s.source()).isNotEqualTo(LimitSource.REQUEST).isNotEqualTo(LimitSource.LINK_FALLBACK);
    }

    @Test
    void a_new_request_of_the_same_claim_replaces_the_old_one() {
        List<LimitClaim> table = LimitArbiter.admit(List.of(), claim("app", 10, 16_000, 99)).table();
        table = LimitArbiter.admit(table, claim("app", 10, 24_000, 99)).table();
        assertThat(table).containsExactly(claim("app", 10, 24_000, 99));
        assertThat(arbitrate(32, CableRating.A32, COOL, LinkState.UP, table, CFG).current())
                .isEqualTo(new Current(24_000));
    }

    @Test
    void requests_expire_in_board_time() {
        LimitRequest req = new LimitRequest("app", 10, 8_000, Duration.ofSeconds(5));
        LimitClaim c = LimitClaim.of(req, 1_000);
        assertThat(c.expiresAtBoardMillis()).isEqualTo(1_000 + req.ttl().toMillis());
        assertThat(LimitArbiter.live(List.of(c), 5_999)).containsExactly(c);
        assertThat(LimitArbiter.live(List.of(c), 6_000)).isEmpty();
        // a sub-millisecond TTL still lives for one millisecond rather than expiring on arrival
        assertThat(LimitClaim.of(new LimitRequest("x", 1, 6_000, Duration.ofNanos(10)), 50).liveAt(50)).isTrue();
    }

    @Test
    void a_full_table_evicts_the_lowest_priority_for_a_higher_one_and_refuses_others() {
        List<LimitClaim> table = new ArrayList<>();
        for (int i = 0; i < LimitArbiter.MAX_LIVE_REQUESTS; i++) {
            table = new ArrayList<>(LimitArbiter.admit(table, claim("c" + i, 20 + i, 10_000 + i, 99)).table());
        }
        assertThat(table).hasSize(LimitArbiter.MAX_LIVE_REQUESTS);

        LimitArbiter.Admission equal = LimitArbiter.admit(table, claim("late", 20, 7_000, 99));
        assertThat(equal.reply().accepted()).isFalse();
        assertThat(equal.reply().code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(equal.reply().detail()).contains("full").contains("20");
        assertThat(equal.table()).isEqualTo(table);

        LimitArbiter.Admission higher = LimitArbiter.admit(table, claim("urgent", 21, 7_000, 99));
        assertThat(higher.reply().accepted()).isTrue();
        assertThat(higher.evicted()).contains(claim("c0", 20, 10_000, 99));
        assertThat(higher.table()).hasSize(LimitArbiter.MAX_LIVE_REQUESTS)
                .contains(claim("urgent", 21, 7_000, 99)).doesNotContain(claim("c0", 20, 10_000, 99));

        // replacing an existing claim never needs an eviction
        LimitArbiter.Admission replace = LimitArbiter.admit(table, claim("c0", 0, 9_000, 99));
        assertThat(replace.reply().accepted()).isTrue();
        assertThat(replace.evicted()).isEmpty();
        assertThat(replace.table()).hasSize(LimitArbiter.MAX_LIVE_REQUESTS).contains(claim("c0", 0, 9_000, 99));
    }

    @Test
    void thermal_derating_is_linear_from_the_configured_maximum_to_6_A() {
        int start = CFG.derateStartCelsius();
        int stop = CFG.stopCelsius();
        assertThat(LimitArbiter.thermalLimit(Temperature.ofCelsius(start), CFG)).isEmpty();
        int max = CFG.configuredMax().milliamps();
        int mid = (start + stop) / 2;
        int expectedMid = max - (max - 6_000) * (mid - start) / (stop - start);
        assertThat(LimitArbiter.thermalLimit(Temperature.ofCelsius(mid), CFG)).contains(new Current(expectedMid));
        assertThat(LimitArbiter.thermalLimit(new Temperature(stop * 10 - 1), CFG).orElseThrow().milliamps())
                .isBetween(6_000, 6_000 + (max - 6_000) / ((stop - start) * 10) + 1);
        assertThat(LimitArbiter.thermalLimit(Temperature.ofCelsius(stop), CFG)).contains(Current.ZERO);
        // monotonic: hotter never allows more
        int previous = Integer.MAX_VALUE;
        for (int d = start * 10; d <= stop * 10; d++) {
            int now = LimitArbiter.thermalLimit(new Temperature(d), CFG).map(Current::milliamps)
                    .orElse(Integer.MAX_VALUE);
            assertThat(now).isLessThanOrEqualTo(previous);
            previous = now;
        }
    }
}
