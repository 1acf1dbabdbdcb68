package org.voltkeep.safety.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.voltkeep.link.FrameReader;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;

/**
 * A raw peer for the server's tests: writes any bytes, and reads the server's
 * frames on its own thread so every wait has a timeout.
 */
final class PeerClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** What the reader thread saw: a message, or the end of the connection. */
    private sealed interface Event permits Received, Closed {
    }

    private record Received(Message message) implements Event {
    }

    private record Closed(String why) implements Event {
    }

    private final SocketChannel channel;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean closedSeen;

    PeerClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::readLoop, "test-peer-read");
        t.setDaemon(true);
        t.start();
    }

    /** Connects and completes the handshake; the HelloAck is consumed. */
    static PeerClient linked(Path socket) throws IOException {
        PeerClient p = new PeerClient(socket);
        p.send(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "test-app"));
        assertThat(p.next(Message.HelloAck.class).protocolVersion()).isEqualTo(LinkCodec.PROTOCOL_VERSION);
        return p;
    }

    private void readLoop() {
        FrameReader reader = new FrameReader(channel);
        try {
            while (true) {
                events.add(new Received(LinkCodec.decode(reader.read())));
            }
        } catch (IOException | RuntimeException e) {
            events.add(new Closed(e.toString()));
        }
    }

    void send(Message m) throws IOException {
        sendRaw(LinkCodec.encode(m));
    }

    void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next message of this type, skipping unsolicited statuses and fault reports. */
    <T extends Message> T next(Class<T> type) {
        while (true) {
            Message m = nextMessage();
            if (type.isInstance(m)) {
                return type.cast(m);
            }
            if (!(m instanceof Message.StatusMessage || m instanceof Message.FaultReport)) {
                fail("expected a %s, got %s", type.getSimpleName(), m);
            }
        }
    }

    /** The next message whatever it is. */
    Message nextMessage() {
        Event e = poll();
        if (e instanceof Received r) {
            return r.message();
        }
        closedSeen = true;
        return fail("connection closed while waiting for a message: %s", ((Closed) e).why());
    }

    /** Reads until the server closes; fails when that takes longer than the wait. */
    void awaitClosed() {
        if (closedSeen) {
            return;
        }
        while (!(poll() instanceof Closed)) {
            // skip what was still in flight
        }
        closedSeen = true;
    }

    private Event poll() {
        try {
            Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                return fail("nothing from the server within %s", WAIT);
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
