package org.voltkeep.link.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;

class LinkClientTest {
    @TempDir
    Path dir;

    private final List<ChargerStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Path socket() {
        return dir.resolve("link.sock");
    }

    private LinkClientSettings settings(Duration keepAlive, Duration requestTimeout) {
        return new LinkClientSettings(socket(), keepAlive, requestTimeout, Duration.ofMillis(20),
                Duration.ofMillis(200));
    }

    private LinkClient client(LinkClientSettings s) {
        LinkClient c = new LinkClient(s, "test-app", listeners);
        toClose.add(c);
        c.start();
        return c;
    }

    private LinkClient linkedClient(FakeSafety safety, LinkClientSettings s) throws Exception {
        LinkClient c = client(s);
        assertThat(safety.next()).isEqualTo(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "test-app"));
        eventually("link up", () -> c.linkState() == LinkState.UP);
        return c;
    }

    private FakeSafety safety(long startId) throws Exception {
        FakeSafety f = new FakeSafety(socket(), startId);
        toClose.add(f);
        return f;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + FakeSafety.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    static ChargerStatus status(long boardMillis, ChargerState state) {
        return new ChargerStatus(boardMillis, state, 533, false, false, true, "demo", 3, 100, 0, 5_000, 0, 0, 16_000,
                LimitSource.CONFIGURED, 32_000, 300, Set.of(), LinkState.UP, FallbackMode.SAFE_CURRENT, false, true);
    }

    @Test
    void requestsCarryTheirValuesAndRepliesMapToAcceptedOrRefused() throws Exception {
        FakeSafety safety = safety(1);
        safety.answer(r -> switch (r.type()) {
            case STOP -> new Message.Error(r.seq(), ErrorCode.NO_VEHICLE, "no session to stop");
            case SET_LIMIT -> new Message.Error(r.seq(), ErrorCode.FAULT_LATCHED, "RCD_TRIP latched");
            default -> new Message.Ack(r.seq());
        });
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));

        assertThat(c.authorize("RFID-77")).isEqualTo(Reply.OK);
        assertThat(c.stop(StopReason.REMOTE)).isEqualTo(Reply.refused(ErrorCode.NO_VEHICLE, "no session to stop"));
        assertThat(c.setLimit(new LimitRequest("solar", 30, 10_000, Duration.ofMinutes(2))))
                .isEqualTo(Reply.refused(ErrorCode.FAULT_LATCHED, "RCD_TRIP latched"));
        assertThat(c.clearLimit("solar")).isEqualTo(Reply.OK);
        assertThat(c.resetFaults()).isEqualTo(Reply.OK);

        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(safety.nextNotKeepAlive());
        }
        assertThat(sent).containsExactly(
                new Message.Authorize(1, "RFID-77"),
                new Message.Stop(2, StopReason.REMOTE),
                new Message.SetLimit(3, "solar", 30, 10_000, 120_000),
                new Message.ClearLimit(4, "solar"),
                new Message.ResetFaults(5));
    }

    @Test
    void invalidValuesAreRefusedWithoutBeingSent() throws Exception {
        FakeSafety safety = safety(1);
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));

        Reply tooLong = c.authorize("X".repeat(37));
        assertThat(tooLong.accepted()).isFalse();
        assertThat(tooLong.code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
        assertThat(tooLong.detail()).contains("Authorize.idTag length 37");
        assertThat(c.authorize("line\nfeed").code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(c.clearLimit("no/slash").code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
        assertThat(c.stop(null).code()).isEqualTo(ErrorCode.MALFORMED);

        assertThat(c.authorize("OK-TAG")).isEqualTo(Reply.OK);
        assertThat(safety.nextNotKeepAlive()).isInstanceOf(Message.Authorize.class)
                .extracting(m -> ((Message.Authorize) m).idTag()).isEqualTo("OK-TAG");
    }

    @Test
    void aSilentSafetyGivesTimeout() throws Exception {
        FakeSafety safety = safety(1);
        safety.silent(true);
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofMillis(200)));
        long t0 = System.nanoTime();
        Reply r = c.authorize("TAG");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.accepted()).isFalse();
        assertThat(r.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(r.detail()).isEqualTo("no answer from safety within 200 ms");
        assertThat(waitedMillis).isGreaterThanOrEqualTo(200);
    }

    @Test
    void withoutSafetyEverythingSaysNotConnected() throws Exception {
        LinkClient c = client(settings(Duration.ofMillis(50), Duration.ofSeconds(2)));
        assertThat(c.linkState()).isEqualTo(LinkState.DISCONNECTED);
        assertThat(c.status()).isEmpty();
        Reply r = c.authorize("TAG");
        assertThat(r).isEqualTo(Reply.refused(ErrorCode.NOT_CONNECTED, "no connection to the safety domain"));
        assertThat(c.resetFaults().code()).isEqualTo(ErrorCode.NOT_CONNECTED);
    }

    @Test
    void statusIsTheLatestWhileLinkedAndEmptyOnceTheLinkIsGone() throws Exception {
        FakeSafety safety = safety(1);
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
        assertThat(c.status()).isEmpty();
        safety.push(new Message.StatusMessage(status(100, ChargerState.B1)));
        safety.push(new Message.StatusMessage(status(200, ChargerState.C2)));
        eventually("second status", () -> c.status().map(s -> s.boardMillis() == 200).orElse(false));
        assertThat(c.status()).contains(status(200, ChargerState.C2));

        safety.close();
        eventually("link down", () -> c.linkState() == LinkState.DISCONNECTED);
        assertThat(c.status()).isEmpty();
    }

    @Test
    void afterSafetyRestartsTheClientRelinksAndResendsNothing() throws Exception {
        FakeSafety first = safety(1);
        LinkClient c = linkedClient(first, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
        assertThat(c.setLimit(new LimitRequest("solar", 30, 10_000, Duration.ofMinutes(2)))).isEqualTo(Reply.OK);
        first.close();
        eventually("link down", () -> c.linkState() == LinkState.DISCONNECTED);
        assertThat(c.authorize("WHILE-DOWN").code()).isEqualTo(ErrorCode.NOT_CONNECTED);

        FakeSafety second = safety(2);
        assertThat(second.next()).isInstanceOf(Message.Hello.class);
        eventually("link up again", () -> c.linkState() == LinkState.UP);
        assertThat(c.authorize("AFTER")).isEqualTo(Reply.OK);

        Message afterHello = second.nextNotKeepAlive();
        assertThat(afterHello).isInstanceOf(Message.Authorize.class);
        Message.Authorize auth = (Message.Authorize) afterHello;
        assertThat(auth.idTag()).isEqualTo("AFTER");
        assertThat(auth.seq()).as("seq keeps increasing over reconnects").isGreaterThan(1);
        assertThat(second.drain()).allMatch(m -> m instanceof Message.KeepAlive);
    }

    @Test
    void listenersGetEveryStatusInOrderWithItsPredecessor() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        listeners.add((previous, current) -> {
            throw new IllegalStateException("a broken listener");
        });
        listeners.add((previous, current) -> calls.add(
                (previous == null ? "none" : previous.boardMillis()) + "->" + current.boardMillis()));
        FakeSafety safety = safety(1);
        linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));

        List<String> expected = new ArrayList<>();
        String previous = "none";
        for (int i = 1; i <= 200; i++) {
            safety.push(new Message.StatusMessage(status(i, i % 2 == 0 ? ChargerState.B1 : ChargerState.C2)));
            expected.add(previous + "->" + i);
            previous = Integer.toString(i);
        }
        eventually("all dispatched", () -> calls.size() == 200);
        assertThat(calls).containsExactlyElementsOf(expected);
    }

    @Test
    void aListenerAddedLaterGetsLaterStatusesAndARemovedOneNoMore() throws Exception {
        FakeSafety safety = safety(1);
        linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
        List<Long> seen = new CopyOnWriteArrayList<>();
        ChargerStatusListener l = (p, s) -> seen.add(s.boardMillis());
        safety.push(new Message.StatusMessage(status(1, ChargerState.A)));
        listeners.add(l);
        safety.push(new Message.StatusMessage(status(2, ChargerState.A)));
        eventually("second seen", () -> seen.contains(2L));
        listeners.remove(l);
        safety.push(new Message.StatusMessage(status(3, ChargerState.A)));
        // A listener after it proves status 3 was dispatched.
        List<Long> marker = new CopyOnWriteArrayList<>();
        listeners.add((p, s) -> marker.add(s.boardMillis()));
        safety.push(new Message.StatusMessage(status(4, ChargerState.A)));
        eventually("marker", () -> marker.contains(4L));
        assertThat(seen).doesNotContain(3L, 4L);
    }

    @Test
    void keepAlivesFlowWithIncreasingSeq() throws Exception {
        FakeSafety safety = safety(1);
        linkedClient(safety, settings(Duration.ofMillis(20), Duration.ofSeconds(2)));
        long last = 0;
        for (int i = 0; i < 5; i++) {
            Message m = safety.next();
            assertThat(m).isInstanceOf(Message.KeepAlive.class);
            long seq = ((Message.KeepAlive) m).seq();
            assertThat(seq).isGreaterThan(last);
            last = seq;
        }
    }

    @Test
    void aPendingRequestFailsAtOnceWhenTheConnectionDrops() throws Exception {
        FakeSafety safety = safety(1);
        safety.silent(true);
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(30)));
        CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> c.authorize("TAG"));
        assertThat(safety.nextNotKeepAlive()).isInstanceOf(Message.Authorize.class);
        safety.close();
        Reply r = reply.get(FakeSafety.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.code()).isEqualTo(ErrorCode.NOT_CONNECTED);
        assertThat(r.detail()).startsWith("connection to safety closed");
    }

    @Test
    void aSafetyThatStopsAnsweringKeepAlivesIsDroppedAndRelinked() throws Exception {
        FakeSafety safety = safety(1);
        safety.silent(true);
        linkedClient(safety, settings(Duration.ofMillis(20), Duration.ofMillis(50)));
        // Silence limit: max(4 x 20 ms, 2 x 50 ms) = 100 ms; then a fresh Hello.
        Message m;
        do {
            m = safety.next();
        } while (!(m instanceof Message.Hello));
    }

    @Test
    void aRefusedHelloKeepsTheLinkDownAndIsRetried() throws Exception {
        FakeSafety safety = safety(1);
        safety.refuseHello(true);
        LinkClient c = client(settings(Duration.ofMillis(50), Duration.ofSeconds(2)));
        assertThat(safety.next()).isInstanceOf(Message.Hello.class);
        assertThat(safety.next()).isInstanceOf(Message.Hello.class);
        assertThat(c.linkState()).isEqualTo(LinkState.DISCONNECTED);
        safety.refuseHello(false);
        eventually("link up", () -> c.linkState() == LinkState.UP);
    }

    @Test
    void concurrentCallersGetTheirOwnAnswersAndTheWireSeesSeqInOrder() throws Exception {
        FakeSafety safety = safety(1);
        safety.answer(r -> r instanceof Message.Authorize a && a.idTag().endsWith("-odd")
                ? new Message.Error(r.seq(), ErrorCode.NOT_ALLOWED, a.idTag())
                : new Message.Ack(r.seq()));
        LinkClient c = linkedClient(safety, settings(Duration.ofMillis(10), Duration.ofSeconds(5)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String tag = "T" + thread + "-" + i + (i % 2 == 1 ? "-odd" : "-even");
                        Reply r = c.authorize(tag);
                        boolean right = i % 2 == 1 ? r.equals(Reply.refused(ErrorCode.NOT_ALLOWED, tag)) : r.accepted();
                        if (!right) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        long last = 0;
        int authorizations = 0;
        for (Message m : safety.drain()) {
            long seq = ((Message.Request) m).seq();
            assertThat(seq).isGreaterThan(last);
            last = seq;
            if (m instanceof Message.Authorize) {
                authorizations++;
            }
        }
        assertThat(authorizations).isEqualTo(400);
    }

    @Test
    void settingsRefuseNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LinkClientSettings(socket(), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(5)))
                .hasMessageContaining("keepAlive PT0S must be positive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LinkClientSettings(socket(),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(6), Duration.ofSeconds(5)))
                .hasMessageContaining("reconnectMax PT5S is below reconnectMin PT6S");
        assertThat(new LinkClientSettings(socket(), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMillis(250), Duration.ofSeconds(5)).silenceLimit()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void faultReportsDoNotDisturbTheLink() throws Exception {
        FakeSafety safety = safety(1);
        LinkClient c = linkedClient(safety, settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
        safety.push(new Message.FaultReport(Fault.RCD_TRIP, true, 10));
        safety.push(new Message.Error(0, ErrorCode.MALFORMED, "something we sent"));
        assertThat(c.authorize("TAG")).isEqualTo(Reply.OK);
        assertThat(c.linkState()).isEqualTo(LinkState.UP);
    }
}
