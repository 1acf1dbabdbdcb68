package org.voltkeep.safety.link.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.voltkeep.safety.link.internal.RateLimiter.Verdict;

class RateLimiterTest {
    private static final long MS = 1_000_000L;

    /** Sends at a fixed rate for a while; returns the verdict counts and the time of the first CLOSE. */
    private static Map<Verdict, Integer> drive(RateLimiter limiter, long start, int perSecond, int seconds, long[] closeAt) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        long step = 1_000 * MS / perSecond;
        for (long i = 0; i < (long) perSecond * seconds; i++) {
            long now = start + i * step;
            Verdict v = limiter.admit(now);
            counts.merge(v, 1, Integer::sum);
            if (v == Verdict.CLOSE && closeAt[0] < 0) {
                closeAt[0] = now - start;
            }
        }
        return counts;
    }

    @Test
    void aBurstIsAdmitedAtOnceThenTheRateHolds() {
        RateLimiter l = new RateLimiter(50, 100, Duration.ofSeconds(5), 0);
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            if (l.admit(0) == Verdict.ADMIT) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(100);
        // 20 ms later: one more token.
        assertThat(l.admit(20 * MS)).isEqualTo(Verdict.ADMIT);
        assertThat(l.admit(20 * MS)).isEqualTo(Verdict.REJECT);
    }

    @Test
    void sendingAtTheRateIsNeverRefused() {
        RateLimiter l = new RateLimiter(50, 100, Duration.ofSeconds(5), 0);
        Map<Verdict, Integer> c = drive(l, 0, 50, 60, new long[] {-1});
        assertThat(c).containsOnlyKeys(Verdict.ADMIT);
    }

    @Test
    void sendingAtOneAndAHalfTimesTheRateIsRefusedButNeverClosed() {
        RateLimiter l = new RateLimiter(50, 100, Duration.ofSeconds(5), 0);
        long[] closeAt = {-1};
        Map<Verdict, Integer> c = drive(l, 0, 75, 60, closeAt);
        assertThat(c.get(Verdict.REJECT)).isPositive();
        assertThat(c).doesNotContainKey(Verdict.CLOSE);
        // Admitted: the burst plus the rate over the minute, give or take one token.
        assertThat(c.get(Verdict.ADMIT)).isBetween(100 + 50 * 60 - 2, 100 + 50 * 60 + 1);
    }

    @Test
    void floodingAtTwiceTheRateForFiveSecondsCloses() {
        RateLimiter l = new RateLimiter(50, 100, Duration.ofSeconds(5), 0);
        long[] closeAt = {-1};
        drive(l, 0, 200, 20, closeAt);
        // The burst lasts the first ~0.7 s; five flooding seconds after that.
        assertThat(closeAt[0]).isBetween(5_000 * MS, 7_000 * MS);
    }

    @Test
    void aCalmSecondResetsTheFloodRun() {
        RateLimiter l = new RateLimiter(50, 100, Duration.ofSeconds(5), 0);
        long[] closeAt = {-1};
        long t = 0;
        for (int round = 0; round < 5; round++) {
            drive(l, t, 200, 4, closeAt);
            t += 4_000 * MS;
            drive(l, t, 10, 1, closeAt);
            t += 1_000 * MS;
        }
        assertThat(closeAt[0]).isEqualTo(-1);
    }
}
