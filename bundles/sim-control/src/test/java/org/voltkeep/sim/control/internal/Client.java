package org.voltkeep.sim.control.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.voltkeep.json.Json;

/** A test client of the control socket; every read has a 10 s wall-time limit. */
final class Client implements AutoCloseable {
    private final SocketChannel channel;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Client(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                String l;
                while ((l = in.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // closed
            }
            lines.add("<closed>");
        }, "test-client-reader");
        t.setDaemon(true);
        t.start();
    }

    void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    Json.Obj read() throws InterruptedException {
        String l = lines.poll(10, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("no line from the simulator within 10 s");
        }
        if (l.equals("<closed>")) {
            throw new AssertionError("the simulator closed the connection");
        }
        return Json.parseObject(l);
    }

    /** The next answer line, skipping events. */
    Json.Obj call(String line) throws IOException, InterruptedException {
        send(line);
        return until(o -> !o.has("event"));
    }

    /** Reads until a line matches; fails after 10 s without one. */
    Json.Obj until(Predicate<Json.Obj> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Json.Obj o = read();
            if (p.test(o)) {
                return o;
            }
        }
        throw new AssertionError("no matching line within 10 s");
    }

    static Predicate<Json.Obj> event(String name) {
        return o -> name.equals(o.string("event", ""));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
