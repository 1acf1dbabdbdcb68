package org.voltkeep.link.client.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.voltkeep.charging.ErrorCode;
import org.voltkeep.link.FrameReader;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;

/**
 * A small stand-in for the safety domain's server: answers Hello, answers requests
 * as the test says (or not at all), records what it got, and pushes messages.
 */
final class FakeSafety implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final ServerSocketChannel server;
    private final Path path;
    private final long startId;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private volatile Function<Message.Request, Message.FromSafety> answer = r -> new Message.Ack(r.seq());
    private volatile boolean silent;
    private volatile boolean refuseHello;

    FakeSafety(Path path, long startId) throws IOException {
        this.path = path;
        this.startId = startId;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread t = new Thread(this::acceptLoop, "fake-safety-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Answers each request with what the function returns. */
    void answer(Function<Message.Request, Message.FromSafety> replyFor) {
        this.answer = replyFor;
    }

    /** Still says HelloAck, then never answers anything. */
    void silent(boolean on) {
        this.silent = on;
    }

    void refuseHello(boolean on) {
        this.refuseHello = on;
    }

    /** Sends to every open connection. */
    void push(Message m) throws IOException {
        for (SocketChannel c : connections) {
            write(c, m);
        }
    }

    int connectionCount() {
        return (int) connections.stream().filter(SocketChannel::isOpen).count();
    }

    /** The next message the client sent, whatever it is. */
    Message next() throws InterruptedException {
        Message m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("the client sent nothing within " + WAIT);
        }
        return m;
    }

    /** The next message the client sent that is not a keep-alive. */
    Message nextNotKeepAlive() throws InterruptedException {
        Message m;
        do {
            m = next();
        } while (m instanceof Message.KeepAlive);
        return m;
    }

    /** Everything received so far. */
    List<Message> drain() {
        List<Message> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all;
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel c = server.accept();
                connections.add(c);
                Thread t = new Thread(() -> serve(c), "fake-safety-conn");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel c) {
        FrameReader reader = new FrameReader(c);
        try {
            while (true) {
                Message m = LinkCodec.decode(reader.read());
                received.add(m);
                if (m instanceof Message.Hello) {
                    write(c, refuseHello
                            ? new Message.Error(0, ErrorCode.VERSION_MISMATCH, "not today")
                            : new Message.HelloAck(LinkCodec.PROTOCOL_VERSION, startId));
                } else if (m instanceof Message.Request r && !silent) {
                    Message.FromSafety reply = answer.apply(r);
                    if (reply != null) {
                        write(c, reply);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
        }
    }

    private static synchronized void write(SocketChannel c, Message m) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(LinkCodec.encode(m));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(FakeSafety::closeQuietly);
        Files.deleteIfExists(path);
    }
}
