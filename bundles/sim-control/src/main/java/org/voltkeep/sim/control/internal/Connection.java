package org.voltkeep.sim.control.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.json.Json;

/**
 * One client of the control socket: a reader thread that splits JSON lines (at most
 * {@value #MAX_LINE_BYTES} bytes each) and a writer thread that drains a bounded
 * queue, so that events produced on the board's or the safety loop's thread never
 * wait for a slow client. A client that lets {@value #MAX_QUEUED_LINES} lines pile
 * up is disconnected.
 */
final class Connection {
    static final int MAX_LINE_BYTES = 1 << 20;
    static final int MAX_QUEUED_LINES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final String CLOSE = "\u0000close";

    private final SocketChannel channel;
    private final int id;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>(MAX_QUEUED_LINES);
    private volatile boolean subscribed;
    private volatile boolean closed;

    Connection(SocketChannel channel, int id) {
        this.channel = channel;
        this.id = id;
    }

    int id() {
        return id;
    }

    boolean subscribed() {
        return subscribed && !closed;
    }

    void subscribe() {
        subscribed = true;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Starts the threads. {@code handler} gets each line (or null with an error
     * text for a line that cannot be read) and answers through {@link #send}.
     */
    void start(BiConsumer<Connection, String> handler, Runnable onClose) {
        Thread writer = new Thread(this::writeLoop, "voltkeep-sim-control-" + id + "-out");
        writer.setDaemon(true);
        Thread reader = new Thread(() -> {
            try {
                readLoop(handler);
            } finally {
                close();
                onClose.run();
            }
        }, "voltkeep-sim-control-" + id + "-in");
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    void send(Json.Obj message) {
        if (closed) {
            return;
        }
        if (!out.offer(message.write())) {
            LOG.warn("simulator control client {} does not read its events ({} lines queued): disconnecting", id, MAX_QUEUED_LINES);
            close();
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        out.offer(CLOSE);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing simulator control client {}", id, e);
        }
    }

    private void readLoop(BiConsumer<Connection, String> handler) {
        try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean overlong = false;
            int b;
            while (!closed && (b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE_BYTES) {
                        line.write(b);
                    } else {
                        overlong = true;
                    }
                    continue;
                }
                if (overlong) {
                    handler.accept(this, null);
                } else {
                    String text = decode(line.toByteArray());
                    if (text == null) {
                        send(ControlServer.error("the line is not valid UTF-8"));
                    } else if (!text.isBlank()) {
                        handler.accept(this, text);
                    }
                }
                line.reset();
                overlong = false;
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("simulator control client {} read failed", id, e);
            }
        }
    }

    private static String decode(byte[] bytes) {
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                String line = out.take();
                if (line == CLOSE) {
                    return;
                }
                ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("simulator control client {} write failed", id, e);
            }
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
