package org.voltkeep.safety.internal;

import java.util.List;
import java.util.Optional;

import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;

/**
 * The only place where other threads (the link server) meet the control loop:
 * requests wait here until the next cycle takes them. It also tracks link liveness,
 * under the same lock, so a limit accepted right after a heartbeat can never be
 * dropped by a cycle that still believed the link silent.
 */
final class RequestBox {
    private final LinkClock clock;
    private final long timeoutNanos;

    private long lastHeartbeatNanos;
    /** The last connection closed: its owner is gone, so its requests are too. */
    private boolean closed;
    private Optional<String> authorize = Optional.empty();
    private Optional<StopReason> stop = Optional.empty();
    private boolean reset;
    private List<LimitClaim> claims = List.of();

    /** The link timer starts now: silence from the start counts too. */
    RequestBox(LinkClock clock, long linkTimeoutMillis) {
        this.clock = clock;
        this.timeoutNanos = linkTimeoutMillis * 1_000_000L;
        this.lastHeartbeatNanos = clock.nanoTime();
    }

    synchronized void heartbeat() {
        lastHeartbeatNanos = clock.nanoTime();
        closed = false;
    }

    synchronized void closed() {
        closed = true;
    }

    synchronized LinkState link() {
        return closed || clock.nanoTime() - lastHeartbeatNanos >= timeoutNanos ? LinkState.SILENT_FALLBACK : LinkState.UP;
    }

    synchronized void authorize(String idTag) {
        authorize = Optional.of(idTag);
    }

    synchronized boolean authorizePending() {
        return authorize.isPresent();
    }

    synchronized void stop(StopReason reason) {
        stop = Optional.of(reason);
    }

    synchronized void reset() {
        reset = true;
    }

    /** Admits a limit now (validation and table capacity answer synchronously). */
    synchronized Reply setLimit(LimitRequest request, long nowBoardMillis) {
        if (link() != LinkState.UP) {
            return Reply.refused(ErrorCode.NOT_ALLOWED,
                    "the link is silent: limits are dropped until a heartbeat arrives");
        }
        LimitArbiter.Admission a = LimitArbiter.admit(LimitArbiter.live(claims, nowBoardMillis),
                LimitClaim.of(request, nowBoardMillis));
        claims = a.table();
        return a.reply();
    }

    synchronized void clearLimit(String claimId) {
        claims = LimitArbiter.remove(claims, claimId);
    }

    synchronized List<LimitClaim> claims() {
        return claims;
    }

    /**
     * Takes what arrived since the last cycle. While the link is silent every limit is
     * dropped: the application domain must send its limits again when it is back.
     */
    synchronized Requests take(long nowBoardMillis) {
        LinkState link = link();
        if (link != LinkState.UP) {
            claims = List.of();
        } else {
            claims = LimitArbiter.live(claims, nowBoardMillis);
        }
        Requests r = new Requests(authorize, stop, claims, link, reset);
        authorize = Optional.empty();
        stop = Optional.empty();
        reset = false;
        return r;
    }
}
