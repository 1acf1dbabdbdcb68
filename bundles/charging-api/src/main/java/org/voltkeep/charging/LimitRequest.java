package org.voltkeep.charging;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A request for a current limit, held by safety for its time to live. The lowest
 * of all live requests and all fixed limits (hardware, cable, configuration,
 * thermal) wins. Requests below 6 A pause charging. Priority decides which request
 * a full claim table evicts and is reported with the status.
 *
 * @param claimId    who makes the request (one live request per claim id)
 * @param priority   0..100; higher survives eviction
 * @param milliamps  0..80000
 * @param ttl        1 ms..1 h
 */
public record LimitRequest(String claimId, int priority, int milliamps, Duration ttl) {
    public static final int MAX_PRIORITY = 100;
    public static final int MAX_MILLIAMPS = 80_000;
    public static final Duration MAX_TTL = Duration.ofHours(1);
    private static final Pattern CLAIM_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    public LimitRequest {
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(ttl, "ttl");
        if (!CLAIM_ID.matcher(claimId).matches()) {
            throw new IllegalArgumentException("claim id '" + claimId + "' must be 1..32 of A-Z a-z 0-9 . _ -");
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0.." + MAX_PRIORITY);
        }
        if (milliamps < 0 || milliamps > MAX_MILLIAMPS) {
            throw new IllegalArgumentException("limit " + milliamps + " mA is outside 0.." + MAX_MILLIAMPS);
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("time to live " + ttl + " is outside 1 ms..1 h");
        }
    }

    public static boolean validClaimId(String id) {
        return id != null && CLAIM_ID.matcher(id).matches();
    }
}
