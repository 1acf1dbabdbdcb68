package org.voltkeep.safety.api;

import java.util.function.Consumer;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;

/**
 * The IEC 61851-1 controller that owns the board. Requests are validated and
 * arbitrated here; the controller alone decides what the contactor does.
 *
 * <p>Safety invariants (each has a test that tries to break it):
 * <ul>
 * <li>The contactor is commanded closed only in C2 or D2 (D2 only with ventilation),
 *     with an authorized session, no fault, no stop request and a limit of at least 6 A.</li>
 * <li>It is commanded open in the same control cycle that sees a fault or a pilot
 *     outside C/D. A stop (requested, a limit below 6 A, the STOP fallback) first
 *     turns the pilot to +12 V and opens when the car leaves C/D, at the latest
 *     after the configured stop timeout.</li>
 * <li>When {@link #linkHeartbeat()} is not called for longer than the configured
 *     timeout, requests are dropped and the configured fallback applies.</li>
 * </ul>
 */
public interface ChargeController {
    ChargerStatus status();

    Reply authorize(String idTag);

    Reply stop(StopReason reason);

    Reply setLimit(LimitRequest request);

    Reply clearLimit(String claimId);

    Reply resetFaults();

    /** Called for every valid message from the application domain. */
    void linkHeartbeat();

    /**
     * Called when the last link connection from the application domain closes. The
     * peer is gone, so safety applies its fallback at once (as after a timeout): its
     * requests are dropped. The next heartbeat of a new connection ends the fallback.
     */
    void linkClosed();

    /** Listeners get every status that differs from the previous one, on the control thread; they must not block. */
    void addStatusListener(Consumer<ChargerStatus> listener);

    void removeStatusListener(Consumer<ChargerStatus> listener);
}
