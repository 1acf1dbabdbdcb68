package org.voltkeep.safety.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.StopReason;

/**
 * What the application domain asked for since the previous cycle, taken from the
 * request box at the start of a cycle.
 *
 * @param authorizeIdTag an authorization that arrived (applies to the running or the next session)
 * @param stop           a stop that arrived
 * @param liveClaims     the live limit requests (expired ones already removed)
 * @param link           whether the application domain is heard
 * @param resetRequested a request to clear faults that latch until reset
 */
public record Requests(
        Optional<String> authorizeIdTag,
        Optional<StopReason> stop,
        List<LimitClaim> liveClaims,
        LinkState link,
        boolean resetRequested) {

    public Requests {
        Objects.requireNonNull(authorizeIdTag, "authorizeIdTag");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(link, "link");
        liveClaims = List.copyOf(liveClaims);
    }

    /** Nothing asked, link as given. */
    public static Requests none(LinkState link) {
        return new Requests(Optional.empty(), Optional.empty(), List.of(), link, false);
    }

    public Requests withAuthorize(String idTag) {
        return new Requests(Optional.of(idTag), stop, liveClaims, link, resetRequested);
    }

    public Requests withStop(StopReason reason) {
        return new Requests(authorizeIdTag, Optional.of(reason), liveClaims, link, resetRequested);
    }

    public Requests withClaims(List<LimitClaim> claims) {
        return new Requests(authorizeIdTag, stop, claims, link, resetRequested);
    }

    public Requests withReset() {
        return new Requests(authorizeIdTag, stop, liveClaims, link, true);
    }
}
