package org.voltkeep.control.internal;

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

/** Records requests and answers with a reply the test chooses. */
class FakeChargingService implements ChargingService {
    final List<Object> requests = new ArrayList<>();
    volatile Reply reply = Reply.OK;
    volatile ChargerStatus status;
    volatile LinkState link = LinkState.UP;

    static ChargerStatus status(long boardMillis, ChargerState state, long sessionId, int milliamps) {
        boolean on = state == ChargerState.C2;
        return new ChargerStatus(boardMillis, state, on ? 267 : 1000, on, on, sessionId != 0, sessionId,
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

    synchronized List<Object> requests() {
        return List.copyOf(requests);
    }
}
