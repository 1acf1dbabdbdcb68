package org.voltkeep.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.voltkeep.json.Json;

/** A client of the JSON-lines control sockets (application domain, simulator). */
final class JsonLineClient implements AutoCloseable {
    private final Path socket;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private JsonLineClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    static JsonLineClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
        return new JsonLineClient(socket, ch);
    }

    /** Connects, retrying until the socket answers or the timeout passes (a domain that is starting). */
    static JsonLineClient connect(Path socket, java.time.Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return connect(socket);
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last != null ? last : new IOException("cannot connect to " + socket);
    }

    synchronized void send(Json.Obj request) throws IOException {
        out.write((request.write() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next line as an object; IOException on end of stream or a line that is not a JSON object. */
    Json.Obj read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException(socket.getFileName() + " closed the connection");
        }
        try {
            return Json.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new IOException(socket.getFileName() + " sent a bad line: " + e.getMessage(), e);
        }
    }

    /** Sends a request and returns the next line that is an answer (not an event). */
    Json.Obj call(Json.Obj request) throws IOException {
        send(request);
        while (true) {
            Json.Obj reply = read();
            if (!reply.has("event")) {
                return reply;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
