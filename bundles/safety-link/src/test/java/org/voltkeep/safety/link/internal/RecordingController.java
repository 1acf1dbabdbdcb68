package org.voltkeep.safety.link.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.safety.api.ChargeController;

/** A controller that records what reaches it and answers as told. */
final class RecordingController implements ChargeController {
    /** One call that reached the controller, with its argument. */
    record Call(String method, Object argument) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<ChargerStatus>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger linkClosed = new AtomicInteger();
    private final AtomicReference<ChargerStatus> status = new AtomicReference<>(status(1_000, ChargerState.A, Set.of()));
    private volatile Function<Call, Reply> replies = call -> Reply.OK;

    static ChargerStatus status(long boardMillis, ChargerState state, Set<Fault> faults) {
        return status(boardMillis, state, faults, "");
    }

    /** Authorized exactly when there is a tag, as safety reports it. */
    static ChargerStatus status(long boardMillis, ChargerState state, Set<Fault> faults, String idTag) {
        return new ChargerStatus(boardMillis, state, state == ChargerState.A ? 1000 : 533, false, false,
                !idTag.isEmpty(), idTag, 0, 0, 0, 10_000, 0, 0, 16_000, LimitSource.CONFIGURED, 0, 250, faults, LinkState.UP,
                FallbackMode.SAFE_CURRENT, false, true);
    }

    void answer(Function<Call, Reply> replyFor) {
        this.replies = replyFor;
    }

    /** A status change as the control thread would report it. */
    void emit(ChargerStatus s) {
        status.set(s);
        listeners.forEach(l -> l.accept(s));
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    int heartbeats() {
        return heartbeats.get();
    }

    int linkClosedCount() {
        return linkClosed.get();
    }

    int listenerCount() {
        return listeners.size();
    }

    private Reply record(String method, Object argument) {
        Call c = new Call(method, argument);
        calls.add(c);
        return replies.apply(c);
    }

    @Override
    public ChargerStatus status() {
        return status.get();
    }

    @Override
    public Reply authorize(String idTag) {
        return record("authorize", idTag);
    }

    @Override
    public Reply stop(StopReason reason) {
        return record("stop", reason);
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        return record("setLimit", request);
    }

    @Override
    public Reply clearLimit(String claimId) {
        return record("clearLimit", claimId);
    }

    @Override
    public Reply resetFaults() {
        return record("resetFaults", null);
    }

    @Override
    public void linkHeartbeat() {
        heartbeats.incrementAndGet();
    }

    @Override
    public void linkClosed() {
        linkClosed.incrementAndGet();
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
