package org.voltkeep.safety.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.Temperature;

/**
 * Pure limit arbitration: the lowest of the fixed limits (hardware, cable,
 * configuration, thermal derating, link fallback) and every live request wins.
 * Requests are held in a bounded claim table: one per claim id, at most
 * {@link #MAX_LIVE_REQUESTS}; a full table gives way only to a higher priority.
 */
public final class LimitArbiter {
    public static final int MAX_LIVE_REQUESTS = 16;

    private LimitArbiter() {
    }

    /** The result of offering a claim to the table. */
    public record Admission(List<LimitClaim> table, Reply reply, Optional<LimitClaim> evicted) {
        public Admission {
            table = List.copyOf(table);
        }
    }

    /** Drops expired claims. */
    public static List<LimitClaim> live(List<LimitClaim> table, long nowBoardMillis) {
        return table.stream().filter(c -> c.liveAt(nowBoardMillis)).toList();
    }

    /**
     * Offers a claim to a table of live claims: it replaces the claim with the same id;
     * a full table evicts its lowest-priority claim (the one expiring first among equals)
     * if the new claim's priority is higher, else the new claim is refused.
     */
    public static Admission admit(List<LimitClaim> liveTable, LimitClaim claim) {
        List<LimitClaim> next = new ArrayList<>(liveTable.size() + 1);
        for (LimitClaim c : liveTable) {
            if (!c.claimId().equals(claim.claimId())) {
                next.add(c);
            }
        }
        Optional<LimitClaim> evicted = Optional.empty();
        if (next.size() >= MAX_LIVE_REQUESTS) {
            LimitClaim weakest = next.stream()
                    .min(Comparator.comparingInt(LimitClaim::priority)
                            .thenComparingLong(LimitClaim::expiresAtBoardMillis))
                    .orElseThrow();
            if (claim.priority() <= weakest.priority()) {
                return new Admission(liveTable, Reply.refused(ErrorCode.NOT_ALLOWED,
                        "limit table is full (" + MAX_LIVE_REQUESTS + " live requests); priority " + claim.priority()
                                + " of claim '" + claim.claimId() + "' does not beat the lowest live priority "
                                + weakest.priority()), Optional.empty());
            }
            next.remove(weakest);
            evicted = Optional.of(weakest);
        }
        next.add(claim);
        return new Admission(next, Reply.OK, evicted);
    }

    /** Removes a claim; absent ids leave the table as it is. */
    public static List<LimitClaim> remove(List<LimitClaim> table, String claimId) {
        return table.stream().filter(c -> !c.claimId().equals(claimId)).toList();
    }

    /**
     * The effective limit. Ties go to the source listed first (hardware, cable,
     * configured, thermal, link fallback, requests in table order), so the reported
     * source is stable.
     *
     * @param liveClaims ignored entirely while the link is silent: never keep what was last asked
     */
    public static EffectiveLimit arbitrate(Current hardwareRating, CableRating cable, Temperature temperature,
            LinkState link, List<LimitClaim> liveClaims, SafetyConfig cfg) {
        EffectiveLimit best = new EffectiveLimit(hardwareRating, LimitSource.HARDWARE, "");
        best = lower(best, cable.maxCurrent(), LimitSource.CABLE, "");
        best = lower(best, cfg.configuredMax(), LimitSource.CONFIGURED, "");
        Optional<Current> thermal = thermalLimit(temperature, cfg);
        if (thermal.isPresent()) {
            best = lower(best, thermal.get(), LimitSource.THERMAL_DERATING, "");
        }
        boolean silent = link != LinkState.UP;
        if (silent && cfg.fallback() == FallbackMode.SAFE_CURRENT) {
            best = lower(best, cfg.fallbackCurrent(), LimitSource.LINK_FALLBACK, "");
        }
        if (!silent) {
            for (LimitClaim c : liveClaims) {
                best = lower(best, new Current(c.milliamps()), LimitSource.REQUEST, c.claimId());
            }
        }
        return best;
    }

    /**
     * Thermal derating: no constraint up to {@code derateStartCelsius}, then linear from
     * the configured maximum down to 6 A at {@code stopCelsius}, and zero from there on.
     */
    public static Optional<Current> thermalLimit(Temperature temperature, SafetyConfig cfg) {
        long t = temperature.deciCelsius();
        long start = cfg.derateStartCelsius() * 10L;
        long stop = cfg.stopCelsius() * 10L;
        if (t <= start) {
            return Optional.empty();
        }
        if (t >= stop) {
            return Optional.of(Current.ZERO);
        }
        long max = cfg.configuredMax().milliamps();
        long min = EffectiveLimit.MIN_OFFER.milliamps();
        // Rounded down: the derated offer never exceeds the line.
        long ma = max - (max - min) * (t - start) / (stop - start);
        return Optional.of(new Current((int) ma));
    }

    private static EffectiveLimit lower(EffectiveLimit best, Current candidate, LimitSource source, String claimId) {
        return candidate.compareTo(best.current()) < 0 ? new EffectiveLimit(candidate, source, claimId) : best;
    }
}
