package org.voltkeep.safety.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;
import org.voltkeep.link.testing.BadFrames;
import org.voltkeep.link.testing.BadFrames.BadFrame;
import org.voltkeep.link.testing.Payload;
import org.voltkeep.safety.link.internal.RecordingController.Call;

class LinkServerTest {
    @TempDir
    Path dir;

    private Path socket;
    private final RecordingController controller = new RecordingController();
    private final FakeNanoClock clock = new FakeNanoClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LinkServer server;

    @BeforeEach
    void paths() {
        socket = dir.resolve("link.sock");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LinkServerSettings settings() {
        return LinkServerSettings.defaults(socket).withStatusPeriod(Duration.ofMillis(50));
    }

    private LinkServer start(LinkServerSettings s) throws IOException {
        server = new LinkServer(s, controller, clock, 4242L);
        server.start();
        return server;
    }

    private PeerClient linked() throws IOException {
        PeerClient p = PeerClient.linked(socket);
        toClose.add(p);
        return p;
    }

    private PeerClient raw() throws IOException {
        PeerClient p = new PeerClient(socket);
        toClose.add(p);
        return p;
    }

    /** Waits for a condition the server reaches on its own threads. */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PeerClient.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void helloIsAnsweredWithVersionAndStartIdThenTheCurrentStatus() throws Exception {
        start(settings());
        PeerClient p = raw();
        p.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "app"));
        assertThat(p.nextMessage()).isEqualTo(new Message.HelloAck(LinkCodec.PROTOCOL_VERSION, 4242L));
        assertThat(p.next(Message.StatusMessage.class).status()).isEqualTo(controller.status());
        assertThat(controller.heartbeats()).isEqualTo(1);
    }

    @Test
    void validRequestsReachTheControllerWithTheirValues() throws Exception {
        start(settings());
        PeerClient p = linked();
        p.send(new Message.Authorize(1, "RFID-0042"));
        p.send(new Message.SetLimit(2, "solar", 70, 13_500, 90_000));
        p.send(new Message.ClearLimit(3, "ocpp.tx-1"));
        p.send(new Message.Stop(4, StopReason.REMOTE));
        p.send(new Message.ResetFaults(5));
        p.send(new Message.KeepAlive(6));
        for (long seq = 1; seq <= 6; seq++) {
            assertThat(p.next(Message.Ack.class).seq()).isEqualTo(seq);
        }
        assertThat(controller.calls()).containsExactly(
                new Call("authorize", "RFID-0042"),
                new Call("setLimit", new LimitRequest("solar", 70, 13_500, Duration.ofSeconds(90))),
                new Call("clearLimit", "ocpp.tx-1"),
                new Call("stop", StopReason.REMOTE),
                new Call("resetFaults", null));
        assertThat(controller.heartbeats()).isEqualTo(1 + 6);
    }

    @Test
    void aRefusalFromTheControllerComesBackAsAnErrorWithTheRequestsSeq() throws Exception {
        controller.answer(call -> call.method().equals("authorize")
                ? Reply.refused(ErrorCode.NO_VEHICLE, "no vehicle plugged in") : Reply.OK);
        start(settings());
        PeerClient p = linked();
        p.send(new Message.Authorize(9, "TAG"));
        assertThat(p.next(Message.Error.class)).isEqualTo(new Message.Error(9, ErrorCode.NO_VEHICLE, "no vehicle plugged in"));
    }

    @Test
    void aControllerThatThrowsYieldsInternalAndTheLinkKeepsServing() throws Exception {
        controller.answer(call -> {
            if (call.method().equals("resetFaults")) {
                throw new IllegalStateException("boom");
            }
            return Reply.OK;
        });
        start(settings());
        PeerClient p = linked();
        p.send(new Message.ResetFaults(1));
        Message.Error e = p.next(Message.Error.class);
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.detail()).contains("ResetFaults");
        p.send(new Message.StatusRequest(2));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(2);
    }

    @Test
    void theWholeBadCorpusIsRefusedOnOneConnectionWhichKeepsServing() throws Exception {
        start(settings().withRate(50, 10_000));
        PeerClient p = linked();
        long seq = 1_000;
        List<BadFrame> corpus = BadFrames.all();
        for (BadFrame bad : corpus) {
            p.sendRaw(bad.frame());
            Message.Error e = p.next(Message.Error.class);
            assertThat(e.code()).as("%s: %s", bad.name(), e.detail()).isEqualTo(bad.code());
            assertThat(e.detail()).as(bad.name()).contains(bad.detailFragment());
            assertThat(e.seq()).as(bad.name()).isEqualTo(bad.seq());

            p.send(new Message.StatusRequest(++seq));
            assertThat(p.next(Message.Ack.class).seq()).as("after %s", bad.name()).isEqualTo(seq);
        }
        assertThat(controller.calls()).isEmpty();
        // Hello and one StatusRequest per bad frame: the bad frames did not count.
        assertThat(controller.heartbeats()).isEqualTo(1 + corpus.size());
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void seventyThousandBytesOfOversizeFramesAreSkippedAndAnsweredTooLarge() throws Exception {
        start(settings());
        PeerClient p = linked();
        byte[] first = Payload.oversizeFrame(65_535);
        byte[] second = Payload.oversizeFrame(70_000 - first.length - 2);
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        assertThat(all).hasSize(70_000);

        p.sendRaw(all);
        Message.Error e1 = p.next(Message.Error.class);
        Message.Error e2 = p.next(Message.Error.class);
        assertThat(e1.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(e1.detail()).isEqualTo("frame of 65535 bytes exceeds 1024");
        assertThat(e2.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(e2.detail()).isEqualTo("frame of " + (second.length - 2) + " bytes exceeds 1024");

        p.send(new Message.Authorize(1, "AFTER"));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(1);
        assertThat(controller.calls()).containsExactly(new Call("authorize", "AFTER"));
    }

    @Test
    void aReplayedOrOlderSeqIsRefusedAndNotApplied() throws Exception {
        start(settings());
        PeerClient p = linked();
        p.send(new Message.Authorize(5, "FIRST"));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(5);

        p.send(new Message.Authorize(5, "FIRST"));
        Message.Error replay = p.next(Message.Error.class);
        assertThat(replay.code()).isEqualTo(ErrorCode.BAD_SEQUENCE);
        assertThat(replay.seq()).isEqualTo(5);
        assertThat(replay.detail()).contains("seq 5 is not above the last accepted seq 5");

        p.send(new Message.Stop(4, StopReason.REMOTE));
        assertThat(p.next(Message.Error.class).code()).isEqualTo(ErrorCode.BAD_SEQUENCE);

        p.send(new Message.Authorize(6, "NEXT"));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(6);
        assertThat(controller.calls()).containsExactly(new Call("authorize", "FIRST"), new Call("authorize", "NEXT"));
        assertThat(controller.heartbeats()).isEqualTo(1 + 2);
    }

    @Test
    void aBadFrameDoesNotUseUpItsSeq() throws Exception {
        start(settings());
        PeerClient p = linked();
        p.sendRaw(Payload.type(BadFrames.SET_LIMIT).i64(7).str("solar").u8(250).i32(1).i32(1).frame());
        assertThat(p.next(Message.Error.class).seq()).isEqualTo(7);
        p.send(new Message.SetLimit(7, "solar", 50, 10_000, 1_000));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(7);
    }

    @Test
    void requestsBeyondTheRateAreRefusedUntilTokensComeBack() throws Exception {
        start(settings().withRate(5, 10));
        PeerClient p = linked();
        for (long seq = 1; seq <= 15; seq++) {
            p.send(new Message.Authorize(seq, "T" + seq));
        }
        int acks = 0;
        List<Long> limited = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Message m = p.nextMessage();
            while (m instanceof Message.StatusMessage) {
                m = p.nextMessage();
            }
            if (m instanceof Message.Ack) {
                acks++;
            } else {
                Message.Error e = (Message.Error) m;
                assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                limited.add(e.seq());
            }
        }
        // The clock stands still: the Hello took one token of the burst of 10.
        assertThat(acks).isEqualTo(9);
        assertThat(limited).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(controller.calls()).hasSize(9);
        assertThat(controller.heartbeats()).isEqualTo(1 + 9);

        clock.advance(Duration.ofMillis(400));
        p.send(new Message.Authorize(16, "LATER"));
        p.send(new Message.Authorize(17, "LATER"));
        p.send(new Message.Authorize(18, "LATER"));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(16);
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(17);
        assertThat(p.next(Message.Error.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    }

    @Test
    void aPeerFloodingForFiveSecondsIsClosed() throws Exception {
        start(settings().withRate(5, 5));
        PeerClient p = linked();
        Message.Error last = null;
        long seq = 0;
        // 100 frames per simulated second, twenty times the allowed rate.
        for (int i = 0; i < 1_000 && last == null; i++) {
            clock.advance(Duration.ofMillis(10));
            p.send(new Message.KeepAlive(++seq));
            Message m = p.nextMessage();
            while (m instanceof Message.StatusMessage) {
                m = p.nextMessage();
            }
            if (m instanceof Message.Error e && e.detail().startsWith("closing")) {
                last = e;
            }
        }
        assertThat(last).isNotNull();
        assertThat(last.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(seq).as("frames before the close").isBetween(500L, 700L);
        p.awaitClosed();
        eventually("connection gone", () -> server.connectionCount() == 0);
        assertThat(controller.linkClosedCount()).isEqualTo(1);
    }

    @Test
    void aRequestBeforeHelloIsRefusedAndTheConnectionClosed() throws Exception {
        start(settings());
        PeerClient p = raw();
        p.send(new Message.Authorize(1, "EARLY"));
        Message.Error e = p.next(Message.Error.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_SEQUENCE);
        assertThat(e.detail()).contains("Authorize before Hello");
        assertThat(e.seq()).isEqualTo(1);
        p.awaitClosed();
        assertThat(controller.calls()).isEmpty();
        assertThat(controller.heartbeats()).isZero();
        eventually("connection gone", () -> server.connectionCount() == 0);
        assertThat(controller.linkClosedCount()).as("it never was a link").isZero();
    }

    @Test
    void aBadFrameBeforeHelloIsRefusedAndTheConnectionClosed() throws Exception {
        start(settings());
        PeerClient p = raw();
        p.sendRaw(BadFrames.all().get(0).frame());
        assertThat(p.next(Message.Error.class).code()).isEqualTo(ErrorCode.MALFORMED);
        p.awaitClosed();
        assertThat(controller.heartbeats()).isZero();
    }

    @Test
    void anotherProtocolVersionIsRefusedAndTheConnectionClosed() throws Exception {
        start(settings());
        PeerClient p = raw();
        p.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION + 1, "future-app"));
        Message.Error e = p.next(Message.Error.class);
        assertThat(e.code()).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(e.detail()).isEqualTo("protocol version " + (LinkCodec.PROTOCOL_VERSION + 1) + " is not supported; safety speaks " + LinkCodec.PROTOCOL_VERSION);
        p.awaitClosed();
        assertThat(controller.heartbeats()).isZero();
    }

    @Test
    void aSecondHelloAndMessagesOnlySafetySendsAreRefusedButServingGoesOn() throws Exception {
        start(settings());
        PeerClient p = linked();
        p.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "again"));
        assertThat(p.next(Message.Error.class).code()).isEqualTo(ErrorCode.BAD_SEQUENCE);
        p.send(new Message.Ack(3));
        Message.Error e = p.next(Message.Error.class);
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(e.detail()).isEqualTo("Ack is sent by safety, never to it");
        p.send(new Message.StatusMessage(controller.status()));
        assertThat(p.next(Message.Error.class).code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        p.send(new Message.KeepAlive(1));
        assertThat(p.next(Message.Ack.class).seq()).isEqualTo(1);
        assertThat(controller.heartbeats()).isEqualTo(2);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHelloTimeout() throws Exception {
        start(settings().withHelloTimeout(Duration.ofSeconds(5)));
        PeerClient p = raw();
        eventually("connection accepted", () -> server.connectionCount() == 1);
        clock.advance(Duration.ofSeconds(6));
        Message.Error e = p.next(Message.Error.class);
        assertThat(e.detail()).isEqualTo("no Hello within 5000 ms");
        p.awaitClosed();
        eventually("connection gone", () -> server.connectionCount() == 0);
    }

    @Test
    void statusChangesArePushedWithFaultReports() throws Exception {
        start(settings().withStatusPeriod(Duration.ofHours(1)));
        PeerClient p = linked();
        assertThat(p.next(Message.StatusMessage.class).status()).isEqualTo(controller.status());

        ChargerStatus faulted = RecordingController.status(2_000, ChargerState.F, Set.of(Fault.RCD_TRIP));
        controller.emit(faulted);
        assertThat(p.nextMessage()).isEqualTo(new Message.FaultReport(Fault.RCD_TRIP, true, 2_000));
        assertThat(p.nextMessage()).isEqualTo(new Message.StatusMessage(faulted));

        ChargerStatus cleared = RecordingController.status(3_000, ChargerState.A, Set.of());
        controller.emit(cleared);
        assertThat(p.nextMessage()).isEqualTo(new Message.FaultReport(Fault.RCD_TRIP, false, 3_000));
        assertThat(p.nextMessage()).isEqualTo(new Message.StatusMessage(cleared));
    }

    @Test
    void theIdTagTravelsWithTheStatusAndOneTheProtocolCannotCarryIsMadeToFit() throws Exception {
        start(settings().withStatusPeriod(Duration.ofHours(1)));
        PeerClient p = linked();
        p.next(Message.StatusMessage.class);

        ChargerStatus authorized = RecordingController.status(2_000, ChargerState.B2, Set.of(), "RFID-0001");
        controller.emit(authorized);
        assertThat(p.next(Message.StatusMessage.class).status()).isEqualTo(authorized);

        String unfit = "caf\u00e9-" + "x".repeat(40);
        controller.emit(RecordingController.status(3_000, ChargerState.B2, Set.of(), unfit));
        ChargerStatus received = p.next(Message.StatusMessage.class).status();
        assertThat(received.boardMillis()).as("the status still travels").isEqualTo(3_000);
        assertThat(received.idTag()).isEqualTo("caf?-" + "x".repeat(31));
        assertThat(received.authorized()).isTrue();
    }

    @Test
    void statusIsPushedPeriodicallyWithoutChanges() throws Exception {
        start(settings().withStatusPeriod(Duration.ofMillis(20)));
        PeerClient p = linked();
        for (int i = 0; i < 5; i++) {
            assertThat(p.next(Message.StatusMessage.class).status()).isEqualTo(controller.status());
        }
    }

    @Test
    void aStatusOlderThanOneAlreadySentIsNotSent() throws Exception {
        start(settings().withStatusPeriod(Duration.ofHours(1)));
        PeerClient p = linked();
        p.next(Message.StatusMessage.class);
        server.publish(RecordingController.status(5_000, ChargerState.B1, Set.of()));
        server.publish(RecordingController.status(4_000, ChargerState.A, Set.of()));
        server.publish(RecordingController.status(6_000, ChargerState.C2, Set.of()));
        List<Long> times = new ArrayList<>();
        while (times.size() < 2) {
            times.add(p.next(Message.StatusMessage.class).status().boardMillis());
            if (times.get(times.size() - 1) == 6_000) {
                break;
            }
        }
        assertThat(times).isSorted().doesNotContain(4_000L).endsWith(6_000L);
    }

    @Test
    void aPeerThatNeverReadsDoesNotHoldUpTheControllerThreadAndIsDropped() throws Exception {
        start(settings().withStatusPeriod(Duration.ofHours(1)));
        PeerClient deaf = raw();
        deaf.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "deaf"));
        eventually("linked", () -> controller.heartbeats() == 1);
        // Each toggle queues a fault report: far more than socket buffers and the outbox hold.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 50_000; i++) {
                controller.emit(RecordingController.status(10_000 + i, ChargerState.B1,
                        i % 2 == 0 ? Set.of() : Set.of(Fault.OVER_TEMPERATURE)));
            }
        });
        eventually("deaf peer dropped", () -> server.connectionCount() == 0);
        assertThat(controller.linkClosedCount()).isEqualTo(1);
    }

    @Test
    void aReadingPeerGetsTheNewestStatusWhileAnotherNeverReads() throws Exception {
        start(settings().withStatusPeriod(Duration.ofHours(1)));
        PeerClient reader = linked();
        PeerClient deaf = raw();
        deaf.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "deaf"));
        eventually("both linked", () -> controller.heartbeats() == 2);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 50_000; i++) {
                controller.emit(RecordingController.status(10_000 + i, ChargerState.B1, Set.of()));
            }
        });
        // Stale statuses were dropped, not queued: the newest one arrives.
        long seen;
        do {
            seen = reader.next(Message.StatusMessage.class).status().boardMillis();
        } while (seen != 10_000 + 49_999);
        assertThat(server.connectionCount()).as("statuses alone never overflow an outbox").isEqualTo(2);
    }

    @Test
    void connectionsAboveTheMaximumAreRefused() throws Exception {
        start(settings().withMaxConnections(2));
        linked();
        linked();
        PeerClient third = raw();
        Message.Error e = third.next(Message.Error.class);
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(e.detail()).contains("too many link connections");
        third.awaitClosed();
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void linkClosedIsReportedWhenTheLastLinkedConnectionCloses() throws Exception {
        start(settings());
        PeerClient a = linked();
        PeerClient b = linked();
        a.close();
        eventually("a gone", () -> server.connectionCount() == 1);
        assertThat(controller.linkClosedCount()).isZero();
        b.close();
        eventually("b gone", () -> server.connectionCount() == 0);
        assertThat(controller.linkClosedCount()).isEqualTo(1);
    }

    @Test
    void theSocketIsGroupOnlyAndAStaleFileIsReplaced() throws Exception {
        start(settings());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        server.close();
        server = null;
        // A crashed server leaves its socket file behind; the next one takes over.
        try (var leftover = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            leftover.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        start(settings());
        linked().send(new Message.KeepAlive(1));
    }

    @Test
    void aLiveServerOrARegularFileAtTheSocketPathIsNotReplaced() throws Exception {
        start(settings());
        LinkServer second = new LinkServer(settings(), controller, clock, 1);
        assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("another link server");
        server.close();
        server = null;

        Files.writeString(socket, "not a socket");
        LinkServer third = new LinkServer(settings(), controller, clock, 1);
        assertThatThrownBy(third::start).isInstanceOf(IOException.class).hasMessageContaining("is not a socket");
        assertThat(Files.readString(socket)).isEqualTo("not a socket");
    }

    @Test
    void closingTheServerClosesConnectionsAndUnregisters() throws Exception {
        start(settings());
        PeerClient p = linked();
        assertThat(controller.listenerCount()).isEqualTo(1);
        server.close();
        p.awaitClosed();
        assertThat(controller.listenerCount()).isZero();
        assertThat(socket).doesNotExist();
    }
}
