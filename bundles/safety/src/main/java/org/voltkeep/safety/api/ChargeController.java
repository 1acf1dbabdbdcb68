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
 * <li>It is commanded open in the same control cycle that sees a fault, a pilot
 *     outside C/D, or an expired permission.</li>
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
     * Called when the link connection from the application domain closes. Safety
     * keeps the link timer running: a closed connection is silence, not a stop.
     */
    void linkClosed();

    /** Listeners get every status that differs from the previous one, on the control thread; they must not block. */
    void addStatusListener(Consumer<ChargerStatus> listener);

    void removeStatusListener(Consumer<ChargerStatus> listener);
}
