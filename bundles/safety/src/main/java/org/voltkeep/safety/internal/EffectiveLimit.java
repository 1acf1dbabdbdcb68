package org.voltkeep.safety.internal;

import java.util.Objects;

import org.voltkeep.charging.LimitSource;
import org.voltkeep.hal.Current;

/**
 * The result of arbitration: the lowest constraint and who set it.
 *
 * @param claimId the winning request's claim id, empty unless {@code source} is REQUEST
 */
public record EffectiveLimit(Current current, LimitSource source, String claimId) {
    public static final Current MIN_OFFER = Current.ofAmps(SafetyConfig.MIN_OFFER_AMPS);

    public EffectiveLimit {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(claimId, "claimId");
    }

    /** Below 6 A the pilot cannot offer a current. */
    public boolean allowsOffer() {
        return current.compareTo(MIN_OFFER) >= 0;
    }
}
