package org.voltkeep.control.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/**
 * The JSON-lines control socket: a Unix domain socket readable and writable by
 * this domain's user only. One thread per client reads and answers commands;
 * a watching client gets a second thread that sends its events, so a slow
 * client only ever slows itself.
 */
final class ControlServer implements AutoCloseable {
    static final int MAX_LINE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final CommandHandler handler;
    private final Supplier<Optional<ChargerStatus>> currentStatus;
    private final int maxClients;
    private final int watchQueue;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private Thread acceptor;
    private volatile boolean closed;

    /**
     * @param currentStatus the latest status, sent to a new watcher before the changes
     * @param maxClients    connections served at once; more are answered with an error and closed
     * @param watchQueue    events kept per watching client before the oldest are dropped
     */
    ControlServer(Path path, CommandHandler handler, Supplier<Optional<ChargerStatus>> currentStatus,
            int maxClients, int watchQueue) {
        this.path = path;
        this.handler = handler;
        this.currentStatus = currentStatus;
        this.maxClients = maxClients;
        this.watchQueue = watchQueue;
    }

    Path path() {
        return path;
    }

    synchronized void start() throws IOException {
        server = bind(path);
        acceptor = new Thread(this::acceptLoop, "voltkeep-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("control socket listening on {}", path);
    }

    /** Sends a status change to every watching client; never blocks. */
    void publish(ChargerStatus status) {
        String line = null;
        for (Connection c : connections) {
            Watcher w = c.watcher;
            if (w != null) {
                if (line == null) {
                    line = statusEvent(status);
                }
                w.offer(line);
            }
        }
    }

    int connectionCount() {
        return connections.size();
    }

    static String statusEvent(ChargerStatus status) {
        return Json.object().put("event", "status").put("status", StatusJson.write(status)).write();
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOG.debug("closing control socket: {}", e.toString());
        }
        for (Connection c : connections) {
            c.close();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove control socket {}: {}", path, e.toString());
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Binds the socket. A leftover socket file of a dead process is removed; a
     * live one, or a file that is not a socket, is an error (never delete what
     * another process or a person put there).
     */
    static ServerSocketChannel bind(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException("control socket path " + path + " exists and is not a socket; not removing it");
            }
            if (listening(path)) {
                throw new IOException("control socket " + path + " is in use by another process");
            }
            Files.delete(path);
            LOG.info("removed stale control socket {}", path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            // Owner and group: on a device the run directory gives every socket the launcher's
            // group, so the launcher (health checks, voltkeep status) may connect and no one else.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw new IOException("cannot open control socket " + path + ": " + e.getMessage(), e);
        }
        return s;
    }

    private static boolean listening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("control socket accept failed: {}", e.toString());
                }
                continue;
            }
            Connection c = new Connection(ch);
            if (connections.size() >= maxClients) {
                c.send(CommandHandler.badLine("too many control clients (at most " + maxClients + ")").write());
                c.close();
                continue;
            }
            connections.add(c);
            if (closed) {
                c.close();
                return;
            }
            Thread t = new Thread(c::serve, "voltkeep-control-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private final class Connection {
        private final SocketChannel ch;
        private volatile Watcher watcher;
        private Thread pump;

        Connection(SocketChannel ch) {
            this.ch = ch;
        }

        void serve() {
            try {
                LineReader reader = new LineReader(new BufferedInputStream(Channels.newInputStream(ch), 8192), MAX_LINE_BYTES);
                LineReader.Line line;
                while ((line = reader.next()) != null) {
                    if (line.text() == null) {
                        send(CommandHandler.badLine(line.problem()).write());
                        continue;
                    }
                    if (line.text().isBlank()) {
                        send(CommandHandler.badLine("empty line: expected a JSON object with \"cmd\"").write());
                        continue;
                    }
                    Command cmd;
                    try {
                        cmd = CommandParser.parse(line.text());
                    } catch (CommandException e) {
                        send(CommandHandler.badLine(e.getMessage()).write());
                        continue;
                    }
                    send(handler.handle(cmd).write());
                    if (cmd instanceof Command.Watch) {
                        startWatching();
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("control client gone: {}", e.toString());
                }
            } finally {
                close();
            }
        }

        private synchronized void startWatching() {
            if (watcher != null) {
                return;
            }
            Watcher w = new Watcher(watchQueue);
            currentStatus.get().ifPresent(s -> w.offer(statusEvent(s)));
            watcher = w;
            pump = new Thread(() -> pump(w), "voltkeep-control-watch");
            pump.setDaemon(true);
            pump.start();
        }

        private void pump(Watcher w) {
            try {
                while (true) {
                    if (!send(w.take())) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the connection closed
            }
        }

        /** Writes one line; false (and the connection closed) when the client is gone. */
        boolean send(String line) {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                synchronized (ch) {
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                }
                return true;
            } catch (IOException e) {
                close();
                return false;
            }
        }

        void close() {
            connections.remove(this);
            Thread p;
            synchronized (this) {
                watcher = null;
                p = pump;
            }
            if (p != null && p != Thread.currentThread()) {
                p.interrupt();
            }
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing control client: {}", e.toString());
            }
        }
    }
}
