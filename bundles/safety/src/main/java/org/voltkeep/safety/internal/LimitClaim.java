package org.voltkeep.safety.internal;

import java.util.Objects;

import org.voltkeep.charging.LimitRequest;

/**
 * A live limit request as the arbiter holds it: the request plus its expiry in board time.
 *
 * @param expiresAtBoardMillis the claim is live while board time is before this instant
 */
public record LimitClaim(String claimId, int priority, int milliamps, long expiresAtBoardMillis) {
    public LimitClaim {
        Objects.requireNonNull(claimId, "claimId");
    }

    /** Expiry = arrival + time to live; a sub-millisecond TTL still lives one millisecond. */
    public static LimitClaim of(LimitRequest request, long arrivalBoardMillis) {
        long ttlMillis = Math.max(1, request.ttl().toMillis());
        return new LimitClaim(request.claimId(), request.priority(), request.milliamps(),
                arrivalBoardMillis + ttlMillis);
    }

    public boolean liveAt(long boardMillis) {
        return boardMillis < expiresAtBoardMillis;
    }
}
