package org.voltkeep.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.voltkeep.json.Json;

/**
 * One request to the simulator's JSON-lines control socket: send a line, read
 * one line back within a time limit (a hung simulator must not hang the shell).
 */
final class SimClient {
    static final String NO_SIMULATOR = "no simulated board on this device";
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final Path socket;
    private final Duration timeout;

    SimClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** What happened, in words for the shell. */
    sealed interface Result permits Answer, Failure {
    }

    /** The simulator answered with one JSON object. */
    record Answer(Json.Obj reply) implements Result {
    }

    /** No usable answer; {@code message} says why. */
    record Failure(String message) implements Result {
    }

    Result call(Json.Obj request) {
        if (!Files.exists(socket)) {
            return new Failure(NO_SIMULATOR);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                return new Failure("simulator socket " + socket + " does not accept connections (" + e.getMessage() + ")");
            }
            ByteBuffer out = ByteBuffer.wrap((request.write() + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            String line = readLine(ch);
            if (line == null) {
                return new Failure("simulator did not answer within " + timeout.toMillis() + " ms");
            }
            try {
                return new Answer(Json.parseObject(line));
            } catch (IllegalArgumentException e) {
                return new Failure("simulator sent an unreadable answer: " + e.getMessage());
            }
        } catch (IOException e) {
            return new Failure("simulator connection failed: " + e.getMessage());
        }
    }

    /** One line, or null when none came in time. */
    private String readLine(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            while (true) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    return null;
                }
                selector.select(leftMillis);
                selector.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException("the simulator closed the connection without an answer");
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(b);
                }
                if (line.size() > MAX_REPLY_BYTES) {
                    throw new IOException("the simulator's answer is longer than " + MAX_REPLY_BYTES + " bytes");
                }
            }
        }
    }
}
