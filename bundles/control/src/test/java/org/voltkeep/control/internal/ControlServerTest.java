package org.voltkeep.control.internal;

import org.voltkeep.charging.testing.FakeChargingService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/** The socket for real, in a temporary directory, with a fake charging service. */
class ControlServerTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final FakeChargingService charging = new FakeChargingService();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ControlServer server(String name, int maxClients, int watchQueue) throws IOException {
        CommandHandler h = new CommandHandler(() -> charging, () -> null, () -> null, TestHealth.none(() -> charging), "app");
        ControlServer s = new ControlServer(dir.resolve(name), h, charging::status, maxClients, watchQueue);
        s.start();
        toClose.add(s);
        return s;
    }

    private ControlServer server() throws IOException {
        return server("app.sock", 8, 64);
    }

    private final class Client implements AutoCloseable {
        final SocketChannel ch;
        final BufferedReader in;

        Client(Path socket) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            toClose.add(this);
        }

        void send(String line) throws IOException {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        Json.Obj call(String line) throws IOException {
            send(line);
            return Json.parseObject(readLine());
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void badLinesAreAnsweredAndTheConnectionStaysOpen() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ControlServer s = server();
            Client c = new Client(s.path());

            Json.Obj bad = c.call("{\"cmd\":\"limit\",\"claimId\":\"cli\",\"priority\":10,\"amps\":\"ten\",\"ttlSeconds\":60}");
            assertThat(bad.bool("ok")).isFalse();
            assertThat(bad.string("error")).contains("$.amps");
            assertThat(c.call("this is not json").string("error")).startsWith("malformed JSON");
            Json.Obj tooLong = c.call("{\"cmd\":\"ping\",\"pad\":\"" + "x".repeat(ControlServer.MAX_LINE_BYTES) + "\"}");
            assertThat(tooLong.string("error")).contains("longer than " + ControlServer.MAX_LINE_BYTES);
            assertThat(c.call("").string("error")).contains("empty line");

            assertThat(c.call("{\"cmd\":\"ping\"}").write()).isEqualTo("{\"ok\":true,\"domain\":\"app\"}");
            assertThat(charging.requests()).isEmpty();
        });
    }

    @Test
    void theSocketIsForOwnerAndGroupOnlyAndRemovedOnClose() throws Exception {
        ControlServer s = server();
        assertThat(Files.getPosixFilePermissions(s.path())).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        s.close();
        assertThat(s.path()).doesNotExist();
    }

    @Test
    void requestsReachTheServiceAndRefusalsComeBackWithTheirCode() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Client c = new Client(server().path());

            assertThat(c.call("{\"cmd\":\"limit\",\"claimId\":\"cli\",\"priority\":10,\"amps\":10.5,\"ttlSeconds\":60}").bool("ok")).isTrue();
            charging.reply = Reply.refused(ErrorCode.FAULT_LATCHED, "RCD trip latched");
            Json.Obj refused = c.call("{\"cmd\":\"authorize\",\"idTag\":\"demo\"}");

            assertThat(charging.requests()).containsExactly(
                    new LimitRequest("cli", 10, 10_500, Duration.ofSeconds(60)), "authorize demo");
            assertThat(refused.bool("ok")).isFalse();
            assertThat(refused.string("code")).isEqualTo("FAULT_LATCHED");
            assertThat(refused.string("error")).isEqualTo("RCD trip latched");
        });
    }

    @Test
    void statusAnswersWithTheStatusJson() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ChargerStatus st = FakeChargingService.status(77, ChargerState.C2, 5, 15_000);
            charging.status = st;
            Json.Obj o = new Client(server().path()).call("{\"cmd\":\"status\"}");
            assertThat(o.string("link")).isEqualTo("UP");
            assertThat(StatusJson.read(o.obj("status"))).isEqualTo(st);
        });
    }

    @Test
    void aWatcherGetsTheCurrentStatusThenEveryChangeUntilItCloses() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ControlServer s = server();
            charging.status = FakeChargingService.status(1, ChargerState.B1, 9, 0);
            Client c = new Client(s.path());

            assertThat(c.call("{\"cmd\":\"watch\"}").bool("ok")).isTrue();
            Json.Obj first = Json.parseObject(c.readLine());
            assertThat(first.string("event")).isEqualTo("status");
            assertThat(first.obj("status").integer("boardMillis")).isEqualTo(1);

            s.publish(FakeChargingService.status(2, ChargerState.C2, 9, 16_000));
            s.publish(FakeChargingService.status(3, ChargerState.B1, 9, 0));
            assertThat(StatusJson.read(Json.parseObject(c.readLine()).obj("status")).state()).isEqualTo(ChargerState.C2);
            assertThat(StatusJson.read(Json.parseObject(c.readLine()).obj("status")).boardMillis()).isEqualTo(3);

            c.close();
            waitUntil(() -> s.connectionCount() == 0, "the closed watcher is gone");
            s.publish(FakeChargingService.status(4, ChargerState.A, 0, 0));
        });
    }

    @Test
    void aWatcherThatDoesNotReadNeverHoldsUpTheListener() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ControlServer s = server("slow.sock", 8, 4);
            charging.status = FakeChargingService.status(0, ChargerState.B1, 9, 0);
            Client slow = new Client(s.path());
            assertThat(slow.call("{\"cmd\":\"watch\"}").bool("ok")).isTrue();
            // the current status arrives once the watcher is registered
            assertThat(Json.parseObject(slow.readLine()).string("event")).isEqualTo("status");

            // several megabytes of events, far beyond what the socket buffers hold
            for (int i = 0; i < 10_000; i++) {
                s.publish(FakeChargingService.status(i, ChargerState.C2, 9, 16_000));
            }

            boolean sawDrop = false;
            long lastBoardMillis = -1;
            for (String line = slow.readLine(); line != null; line = slow.readLine()) {
                Json.Obj e = Json.parseObject(line);
                if (e.string("event").equals("dropped")) {
                    sawDrop = true;
                } else {
                    lastBoardMillis = e.obj("status").integer("boardMillis");
                    if (lastBoardMillis == 9_999) {
                        break;
                    }
                }
            }
            assertThat(sawDrop).isTrue();
            assertThat(lastBoardMillis).as("the newest status still arrives").isEqualTo(9_999);
        });
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path p = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(p));
        }
        assertThat(p).exists();

        ControlServer s = server("stale.sock", 8, 64);

        assertTimeoutPreemptively(LIMIT, () -> assertThat(new Client(s.path()).call("{\"cmd\":\"ping\"}").bool("ok")).isTrue());
    }

    @Test
    void aLiveSocketOrAnOrdinaryFileIsNeverTakenOver() throws Exception {
        ControlServer live = server("live.sock", 8, 64);
        assertThatThrownBy(() -> server("live.sock", 8, 64)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        assertTimeoutPreemptively(LIMIT, () -> assertThat(new Client(live.path()).call("{\"cmd\":\"ping\"}").bool("ok")).isTrue());

        Path file = dir.resolve("notes.sock");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> server("notes.sock", 8, 64)).isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void clientsBeyondTheLimitAreToldAndClosed() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ControlServer s = server("one.sock", 1, 64);
            Client first = new Client(s.path());
            assertThat(first.call("{\"cmd\":\"ping\"}").bool("ok")).isTrue();

            Client second = new Client(s.path());
            assertThat(Json.parseObject(second.readLine()).string("error")).contains("too many");
            assertThat(second.readLine()).isNull();

            first.close();
            waitUntil(() -> s.connectionCount() == 0, "the first client is gone");
            assertThat(new Client(s.path()).call("{\"cmd\":\"ping\"}").bool("ok")).isTrue();
        });
    }
}
