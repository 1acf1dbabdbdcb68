package org.voltkeep.sim.control.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.safety.api.ChargeController;

/** Records requests; the link is UP while keep-alives came within the last 300 ms of wall time. */
final class FakeController implements ChargeController {
    static final long LINK_TIMEOUT_NANOS = 300_000_000L;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Consumer<ChargerStatus>> listeners = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    private volatile long lastHeartbeat = System.nanoTime() - 10 * LINK_TIMEOUT_NANOS;
    private volatile boolean closedLink;

    static ChargerStatus status(long boardMillis, ChargerState state, LinkState link) {
        return new ChargerStatus(boardMillis, state, 1000, false, false, false, "", 0, 0, 0, 0, 0, 0, 32_000,
                LimitSource.HARDWARE, 0, 250, Set.of(), link, FallbackMode.SAFE_CURRENT, false, true);
    }

    void emit(ChargerStatus s) {
        listeners.forEach(l -> l.accept(s));
    }

    boolean linkClosedCalled() {
        return closedLink;
    }

    @Override
    public ChargerStatus status() {
        boolean up = System.nanoTime() - lastHeartbeat < LINK_TIMEOUT_NANOS;
        return status(0, ChargerState.A, up ? LinkState.UP : LinkState.SILENT_FALLBACK);
    }

    @Override
    public Reply authorize(String idTag) {
        calls.add("authorize " + idTag);
        return Reply.OK;
    }

    @Override
    public Reply stop(StopReason reason) {
        calls.add("stop " + reason);
        return Reply.OK;
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        calls.add("limit " + request.claimId() + " " + request.milliamps());
        return Reply.OK;
    }

    @Override
    public Reply clearLimit(String claimId) {
        calls.add("clear-limit " + claimId);
        return Reply.OK;
    }

    @Override
    public Reply resetFaults() {
        calls.add("reset-faults");
        return Reply.refused(org.voltkeep.charging.ErrorCode.NOT_ALLOWED, "nothing to reset");
    }

    @Override
    public void linkHeartbeat() {
        heartbeats.incrementAndGet();
        lastHeartbeat = System.nanoTime();
    }

    @Override
    public void linkClosed() {
        closedLink = true;
        lastHeartbeat = System.nanoTime() - 10 * LINK_TIMEOUT_NANOS;
    }

    @Override
    public void addStatusListener(Consumer<ChargerStatus> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeStatusListener(Consumer<ChargerStatus> listener) {
        listeners.remove(listener);
    }
}
