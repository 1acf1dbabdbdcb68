package org.voltkeep.charging;

import java.util.Optional;

/**
 * Charging control as application-domain bundles see it. Every call becomes a
 * request to the safety domain, which validates and arbitrates it and has the
 * last word: an accepted reply means safety took the request, not that the
 * contactor will close.
 *
 * <p>Calls block for at most a couple of seconds and never throw for a refusal:
 * they return a {@link Reply} that says why.
 */
public interface ChargingService {
    /** The latest status from safety, empty while no connection is up. */
    Optional<ChargerStatus> status();

    LinkState linkState();

    /** Authorizes the current (or next) session for the given id tag. */
    Reply authorize(String idTag);

    /** Stops the running session: the pilot stops offering current, then the contactor opens. */
    Reply stop(StopReason reason);

    Reply setLimit(LimitRequest request);

    Reply clearLimit(String claimId);

    /** Asks safety to clear faults that latch until reset and whose cause is gone. */
    Reply resetFaults();
}
