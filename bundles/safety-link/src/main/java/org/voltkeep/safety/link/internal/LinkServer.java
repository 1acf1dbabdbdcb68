package org.voltkeep.safety.link.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.LinkValidator;
import org.voltkeep.link.Message;
import org.voltkeep.safety.api.ChargeController;

/**
 * The safety domain's end of the link: listens on a Unix domain socket, serves
 * each connection on its own platform threads, and pushes statuses and fault
 * reports to every connection that has said Hello.
 *
 * <p>Threads: one acceptor, one for the periodic status and housekeeping, and a
 * reader and a writer per connection. The controller's listener only ever puts
 * messages into non-blocking outboxes, so a slow or stuck peer never holds up the
 * control thread.
 */
final class LinkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkServer.class);

    private final LinkServerSettings settings;
    private final ChargeController controller;
    private final LongSupplier nanoClock;
    private final long startId;
    private final Consumer<ChargerStatus> statusListener = this::publish;

    private final Object lock = new Object();
    private final Set<Connection> connections = new LinkedHashSet<>();
    private ServerSocketChannel serverChannel;
    private Thread acceptor;
    private ScheduledExecutorService ticker;
    private int connectionCounter;
    private boolean closed;

    private final Object publishLock = new Object();
    private ChargerStatus lastPublished;
    /** The last id tag that had to be changed to travel, so it is logged once, not with every status. */
    private volatile String lastUnfitIdTag = "";

    /**
     * @param nanoClock monotonic nanoseconds (System::nanoTime in production), used
     *                  for rate limits and timeouts so tests can drive them
     * @param startId   changes with every start of the safety domain; sent in HelloAck
     */
    LinkServer(LinkServerSettings settings, ChargeController controller, LongSupplier nanoClock, long startId) {
        this.settings = settings;
        this.controller = controller;
        this.nanoClock = nanoClock;
        this.startId = startId;
    }

    void start() throws IOException {
        Path path = settings.socketPath();
        removeStaleSocket(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            // Owner (safety) and group (the application domain's user) only.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        synchronized (lock) {
            serverChannel = ch;
        }
        controller.addStatusListener(statusListener);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "safety-link-status"));
        long periodMillis = settings.statusPeriod().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        acceptor = daemon(this::acceptLoop, "safety-link-accept");
        acceptor.start();
        LOG.info("link server listening on {} (max {} connections, {} messages/s, burst {})", path,
                settings.maxConnections(), settings.maxMessagesPerSecond(), settings.burst());
    }

    @Override
    public void close() {
        List<Connection> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(connections);
        }
        controller.removeStatusListener(statusListener);
        if (ticker != null) {
            ticker.shutdownNow();
        }
        try {
            if (serverChannel != null) {
                serverChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the server socket failed", e);
        }
        open.forEach(Connection::closeNow);
        try {
            Files.deleteIfExists(settings.socketPath());
        } catch (IOException e) {
            LOG.warn("could not remove socket file {}: {}", settings.socketPath(), e.toString());
        }
        if (acceptor != null) {
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("link server on {} stopped", settings.socketPath());
    }

    LinkServerSettings settings() {
        return settings;
    }

    ChargeController controller() {
        return controller;
    }

    long startId() {
        return startId;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    int connectionCount() {
        synchronized (lock) {
            return connections.size();
        }
    }

    /** After its HelloAck is queued, a connection gets the current status and all later pushes. */
    void handshakeDone(Connection c) {
        sendCurrentStatus(c);
    }

    /** The freshest status known, never one older than what was already pushed. */
    void sendCurrentStatus(Connection c) {
        ChargerStatus s = safeStatus();
        synchronized (publishLock) {
            if (lastPublished != null && (s == null || s.boardMillis() < lastPublished.boardMillis())) {
                s = lastPublished;
            }
            statusMessage(s).ifPresent(c::offerStatus);
        }
    }

    void connectionClosed(Connection c) {
        boolean lastLink;
        synchronized (lock) {
            if (!connections.remove(c)) {
                return;
            }
            lastLink = c.helloDone() && connections.stream().noneMatch(Connection::helloDone);
        }
        LOG.info("{}: connection closed", c.name());
        if (lastLink) {
            try {
                controller.linkClosed();
            } catch (RuntimeException e) {
                LOG.error("controller failed on linkClosed", e);
            }
        }
    }

    /** A status as a message, or empty (logged) when it cannot travel. */
    Optional<Message.StatusMessage> statusMessage(ChargerStatus s) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Message.StatusMessage(withIdTagThatFits(s)));
        } catch (RuntimeException e) {
            LOG.error("status cannot be sent on the link: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The controller accepts id tags the protocol cannot carry (longer than 36, or
     * beyond printable ASCII, e.g. from a simulator scenario in this domain). Such a
     * tag travels made printable and cut, because refusing it would silence every
     * status for the rest of the session.
     */
    private ChargerStatus withIdTagThatFits(ChargerStatus s) {
        String fitted = LinkValidator.printable(s.idTag(), LinkValidator.MAX_ID_TAG);
        if (fitted.equals(s.idTag())) {
            return s;
        }
        if (!s.idTag().equals(lastUnfitIdTag)) {
            lastUnfitIdTag = s.idTag();
            LOG.warn("id tag '{}' does not fit the link; the application domain sees '{}'", s.idTag(), fitted);
        }
        return new ChargerStatus(s.boardMillis(), s.state(), s.pwmPermille(), s.contactorCommanded(),
                s.contactorFeedback(), s.authorized(), fitted, s.sessionId(), s.sessionStartMillis(),
                s.sessionEnergyWh(), s.meterEnergyWh(), s.currentMilliamps(), s.powerWatts(), s.limitMilliamps(),
                s.limitSource(), s.cableMilliamps(), s.temperatureDeciC(), s.activeFaults(), s.link(), s.fallback(),
                s.stopRequested(), s.selfTestPassed());
    }

    /**
     * Sends a status to every connection past Hello, with a FaultReport for each
     * fault that appeared or cleared since the last one. Runs on the controller's
     * thread: nothing here blocks.
     */
    void publish(ChargerStatus s) {
        if (s == null) {
            return;
        }
        synchronized (publishLock) {
            if (lastPublished != null && s.boardMillis() < lastPublished.boardMillis()) {
                // The periodic read raced a newer change; never send time backwards.
                return;
            }
            List<Message> reports = faultReports(lastPublished, s);
            lastPublished = s;
            Optional<Message.StatusMessage> message = statusMessage(s);
            for (Connection c : linkedConnections()) {
                reports.forEach(c::send);
                message.ifPresent(c::offerStatus);
            }
        }
    }

    private static List<Message> faultReports(ChargerStatus before, ChargerStatus now) {
        Set<Fault> was = before == null || before.activeFaults().isEmpty()
                ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(before.activeFaults());
        Set<Fault> is = now.activeFaults().isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(now.activeFaults());
        List<Message> reports = new ArrayList<>();
        for (Fault f : Fault.values()) {
            if (is.contains(f) != was.contains(f)) {
                reports.add(new Message.FaultReport(f, is.contains(f), now.boardMillis()));
            }
        }
        return reports;
    }

    private List<Connection> linkedConnections() {
        synchronized (lock) {
            return connections.stream().filter(Connection::helloDone).toList();
        }
    }

    private void tick() {
        try {
            publish(safeStatus());
            long now = nanoTime();
            List<Connection> open;
            synchronized (lock) {
                open = new ArrayList<>(connections);
            }
            open.forEach(c -> c.housekeeping(now));
        } catch (RuntimeException e) {
            LOG.error("status tick failed", e);
        }
    }

    private ChargerStatus safeStatus() {
        try {
            return controller.status();
        } catch (RuntimeException e) {
            LOG.error("controller failed on status()", e);
            return null;
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel ch;
            try {
                ch = serverChannel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.error("accept failed; the link server stops accepting", e);
                return;
            }
            try {
                admit(ch);
            } catch (RuntimeException e) {
                LOG.error("could not serve a new connection", e);
                closeQuietly(ch);
            }
        }
    }

    private void admit(SocketChannel ch) {
        String peer = peerOf(ch);
        Connection c;
        synchronized (lock) {
            if (closed) {
                closeQuietly(ch);
                return;
            }
            if (connections.size() >= settings.maxConnections()) {
                c = null;
            } else {
                c = new Connection(this, ch, "safety-link-" + (++connectionCounter));
                connections.add(c);
            }
        }
        if (c == null) {
            LOG.warn("refused a link connection from {}: {} are open already", peer, settings.maxConnections());
            refuse(ch, "too many link connections: " + settings.maxConnections() + " are open");
            return;
        }
        LOG.info("{}: connection from {}", c.name(), peer);
        c.start();
    }

    private static String peerOf(SocketChannel ch) {
        try {
            return PeerCredentials.describe(ch);
        } catch (LinkageError e) {
            // PeerCredentials itself could not load (no jdk.net in this framework).
            return "peer credentials unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** A fresh socket's send buffer is empty, so this short write does not block. */
    private static void refuse(SocketChannel ch, String why) {
        try {
            ByteBuffer frame = ByteBuffer.wrap(LinkCodec.encode(Message.Error.of(0, ErrorCode.NOT_ALLOWED, why)));
            while (frame.hasRemaining()) {
                ch.write(frame);
            }
        } catch (IOException e) {
            LOG.debug("could not tell a refused peer why", e);
        } finally {
            closeQuietly(ch);
        }
    }

    private static void removeStaleSocket(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
            throw new IOException("socket path " + path + " exists and is not a socket; refusing to replace it");
        }
        if (someoneListens(path)) {
            throw new IOException("another link server is listening on " + path);
        }
        Files.delete(path);
        LOG.info("removed stale socket file {}", path);
    }

    private static boolean someoneListens(Path path) {
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            return true;
        } catch (IOException e) {
            // Nobody listens: the file is left over from a previous run.
            return false;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
