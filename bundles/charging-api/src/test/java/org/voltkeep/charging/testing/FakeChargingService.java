package org.voltkeep.charging.testing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;

/**
 * A {@link ChargingService} for the tests of its consumers: records every request
 * and answers with the reply the test chooses. Shipped in this module's test jar.
 */
public class FakeChargingService implements ChargingService {
    public final List<Object> requests = new ArrayList<>();
    public volatile Reply reply = Reply.OK;
    public volatile ChargerStatus status;
    public volatile LinkState link = LinkState.UP;

    public static ChargerStatus status(long boardMillis, ChargerState state, long sessionId, int milliamps) {
        return status(boardMillis, state, sessionId, milliamps, sessionId != 0 ? "demo" : "");
    }

    /** Authorized exactly when there is a tag, as safety reports it. */
    public static ChargerStatus status(long boardMillis, ChargerState state, long sessionId, int milliamps, String idTag) {
        boolean on = state == ChargerState.C2;
        return new ChargerStatus(boardMillis, state, on ? 267 : 1000, on, on, !idTag.isEmpty(), idTag, sessionId,
                sessionId == 0 ? 0 : 500, sessionId == 0 ? 0 : 1234, 99_000, milliamps, milliamps * 230 / 1000, 16_000,
                LimitSource.REQUEST, 32_000, 312, EnumSet.noneOf(Fault.class), LinkState.UP, FallbackMode.SAFE_CURRENT,
                false, true);
    }

    @Override
    public Optional<ChargerStatus> status() {
        return Optional.ofNullable(status);
    }

    @Override
    public LinkState linkState() {
        return link;
    }

    @Override
    public synchronized Reply authorize(String idTag) {
        requests.add("authorize " + idTag);
        return reply;
    }

    @Override
    public synchronized Reply stop(StopReason reason) {
        requests.add(reason);
        return reply;
    }

    @Override
    public synchronized Reply setLimit(LimitRequest request) {
        requests.add(request);
        return reply;
    }

    @Override
    public synchronized Reply clearLimit(String claimId) {
        requests.add("clear " + claimId);
        return reply;
    }

    @Override
    public synchronized Reply resetFaults() {
        requests.add("reset");
        return reply;
    }

    public synchronized List<Object> requests() {
        return List.copyOf(requests);
    }
}
