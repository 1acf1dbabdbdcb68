package org.voltkeep.link.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.link.FrameReader;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.LinkProtocolException;
import org.voltkeep.link.Message;

/**
 * The application domain's end of the link. Connects to safety's socket (again
 * and again, with back-off), says Hello, sends keep-alives, turns calls into
 * requests with increasing sequence numbers and waits for their answers, and hands
 * each status from safety to the listeners.
 *
 * <p>Threads: the link thread (connect, handshake, read), one writer (so requests
 * go out in sequence order and a caller never blocks on a full socket), one timer
 * (keep-alives, silence check) and one dispatcher for listeners.
 *
 * <p>It never re-sends a request by itself: when the link was down safety dropped
 * the requests, and their owners re-send what still matters.
 */
final class LinkClient implements ChargingService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkClient.class);

    private final LinkClientSettings settings;
    private final String peerName;
    private final Iterable<ChargerStatusListener> listeners;

    private final Object sendLock = new Object();
    /** Guarded by sendLock: seq and queueing happen together so frames leave in seq order. */
    private long lastSeq;
    private final AtomicReference<Session> session = new AtomicReference<>();
    private final AtomicReference<ChargerStatus> latest = new AtomicReference<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile long safetyStartId;
    private volatile boolean everLinked;

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "link-client-write"));
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "link-client-listeners"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "link-client-keepalive"));
    private Thread linkThread;
    /** Touched by the dispatcher thread only; weak so that gone listeners are not held. */
    private final Set<ChargerStatusListener> failedListeners = Collections.newSetFromMap(new WeakHashMap<>());

    /**
     * @param listeners read at each dispatch, so a live collection (the component's
     *                  whiteboard list) sees services come and go
     */
    LinkClient(LinkClientSettings settings, String peerName, Iterable<ChargerStatusListener> listeners) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.peerName = new Message.Hello(LinkCodec.PROTOCOL_VERSION, peerName).peerName();
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    void start() {
        running = true;
        linkThread = daemon(this::linkLoop, "link-client");
        linkThread.start();
        long period = settings.keepAlive().toMillis();
        timer.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        Session s = session.get();
        if (s != null) {
            s.close("client stopped");
        }
        timer.shutdownNow();
        writer.shutdownNow();
        dispatcher.shutdown();
        if (linkThread != null) {
            try {
                linkThread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // --- ChargingService ------------------------------------------------------

    @Override
    public Optional<ChargerStatus> status() {
        // What safety said last is no longer known to hold once the link is down.
        return linkState() == LinkState.UP ? Optional.ofNullable(latest.get()) : Optional.empty();
    }

    @Override
    public LinkState linkState() {
        Session s = session.get();
        return s != null && s.up ? LinkState.UP : LinkState.DISCONNECTED;
    }

    @Override
    public Reply authorize(String idTag) {
        return request(seq -> new Message.Authorize(seq, idTag));
    }

    @Override
    public Reply stop(StopReason reason) {
        return request(seq -> new Message.Stop(seq, reason));
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        Objects.requireNonNull(request, "request");
        return request(seq -> Message.SetLimit.of(seq, request));
    }

    @Override
    public Reply clearLimit(String claimId) {
        return request(seq -> new Message.ClearLimit(seq, claimId));
    }

    @Override
    public Reply resetFaults() {
        return request(Message.ResetFaults::new);
    }

    // --- requests -------------------------------------------------------------

    private Reply request(LongFunction<Message.Request> build) {
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        Session s;
        Message.Request request;
        synchronized (sendLock) {
            try {
                request = build.apply(lastSeq + 1);
            } catch (LinkProtocolException e) {
                // Refused here with the words safety would use; nothing is sent.
                return Reply.refused(e.code(), e.detail());
            } catch (NullPointerException e) {
                return Reply.refused(ErrorCode.MALFORMED, "missing value: " + e.getMessage());
            }
            s = session.get();
            if (s == null || !s.up) {
                return Reply.refused(ErrorCode.NOT_CONNECTED, "no connection to the safety domain");
            }
            lastSeq = request.seq();
            // Session.close() fails pending answers under sendLock too: none is missed.
            s.pending.put(request.seq(), answer);
            s.send(request);
        }
        String what = request.type().messageName() + " seq " + request.seq();
        try {
            return answer.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("no answer from safety within {} ms to {}", settings.requestTimeout().toMillis(), what);
            return Reply.refused(ErrorCode.TIMEOUT,
                    "no answer from safety within " + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.refused(ErrorCode.TIMEOUT, "interrupted while waiting for safety's answer");
        } catch (ExecutionException e) {
            return Reply.refused(ErrorCode.INTERNAL, "waiting for safety's answer failed: " + e.getCause());
        } finally {
            s.pending.remove(request.seq());
        }
    }

    private void keepAlive() {
        try {
            Session s = session.get();
            if (s == null || !s.up) {
                return;
            }
            long silentNanos = System.nanoTime() - s.lastHeardNanos;
            if (silentNanos > settings.silenceLimit().toNanos()) {
                LOG.warn("nothing from safety for {} ms; reconnecting", TimeUnit.NANOSECONDS.toMillis(silentNanos));
                s.close("safety silent");
                return;
            }
            synchronized (sendLock) {
                lastSeq++;
                s.send(new Message.KeepAlive(lastSeq));
            }
        } catch (RuntimeException e) {
            LOG.error("keep-alive failed", e);
        }
    }

    // --- connection -----------------------------------------------------------

    private void linkLoop() {
        long backoffMillis = settings.reconnectMin().toMillis();
        boolean quiet = false;
        while (running) {
            Session s = null;
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                s = new Session(ch);
                session.set(s);
                ch.connect(UnixDomainSocketAddress.of(settings.socketPath()));
                s.handshake();
                backoffMillis = settings.reconnectMin().toMillis();
                quiet = false;
                s.readLoop();
            } catch (IOException | LinkProtocolException e) {
                if (s != null && s.up) {
                    String why = s.closeReason != null ? s.closeReason
                            : e instanceof EOFException ? "closed by safety" : e.getMessage();
                    LOG.warn("link to safety lost: {}", why);
                } else if (!quiet) {
                    // Log the first failure of a series only: safety may be down for a while.
                    String why = s != null && s.closeReason != null ? s.closeReason : e.getMessage();
                    LOG.info("cannot link to safety on {}: {}; retrying", settings.socketPath(), why);
                    quiet = true;
                }
            } catch (RuntimeException e) {
                LOG.error("link thread failed; reconnecting", e);
            } finally {
                if (s != null) {
                    s.close("connection ended");
                    session.compareAndSet(s, null);
                }
                latest.set(null);
            }
            if (!running) {
                break;
            }
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(backoffMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            backoffMillis = Math.min(backoffMillis * 2, settings.reconnectMax().toMillis());
        }
    }

    private void onStatus(ChargerStatus status) {
        ChargerStatus previous = latest.getAndSet(status);
        try {
            dispatcher.execute(() -> {
                for (ChargerStatusListener l : listeners) {
                    try {
                        l.statusChanged(previous, status);
                    } catch (RuntimeException | LinkageError e) {
                        // Full report once per listener: a broken one would otherwise fill the log every second.
                        if (failedListeners.add(l)) {
                            LOG.error("status listener {} failed; later failures are logged at debug level",
                                    l.getClass().getName(), e);
                        } else {
                            LOG.debug("status listener {} failed again: {}", l.getClass().getName(), e.toString());
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("status not dispatched: client stopping");
        }
    }

    /** One connection to safety. */
    private final class Session {
        final SocketChannel channel;
        final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
        volatile boolean up;
        volatile boolean closed;
        volatile String closeReason;
        volatile long lastHeardNanos = System.nanoTime();
        private final FrameReader reader;

        Session(SocketChannel channel) {
            this.channel = channel;
            this.reader = new FrameReader(channel);
        }

        void handshake() throws IOException {
            // Nobody else writes before `up`: the Hello goes out directly.
            write(LinkCodec.encode(new Message.Hello(LinkCodec.PROTOCOL_VERSION, peerName)));
            long timeoutMillis = settings.requestTimeout().toMillis();
            var watchdog = timer.schedule(() -> {
                if (!up) {
                    close("no HelloAck within " + timeoutMillis + " ms");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            try {
                Message first = LinkCodec.decode(reader.read());
                if (first instanceof Message.Error e) {
                    throw new IOException("safety refused the Hello: " + e.code() + " " + e.detail());
                }
                if (!(first instanceof Message.HelloAck ack)) {
                    throw new IOException("safety answered Hello with " + first.type().messageName());
                }
                if (ack.protocolVersion() != LinkCodec.PROTOCOL_VERSION) {
                    throw new IOException("safety speaks protocol " + ack.protocolVersion());
                }
                lastHeardNanos = System.nanoTime();
                if (everLinked && ack.safetyStartId() != safetyStartId) {
                    LOG.warn("safety restarted since the last link: every request it held is gone");
                }
                safetyStartId = ack.safetyStartId();
                everLinked = true;
                synchronized (sendLock) {
                    if (closed) {
                        throw new IOException("connection closed during the handshake: " + closeReason);
                    }
                    up = true;
                }
                LOG.info("linked to safety on {}", settings.socketPath());
            } finally {
                watchdog.cancel(false);
            }
        }

        void readLoop() throws IOException {
            while (true) {
                Message m;
                try {
                    m = LinkCodec.decode(reader.read());
                } catch (LinkProtocolException e) {
                    LOG.warn("unreadable frame from safety: {}", e.getMessage());
                    continue;
                }
                lastHeardNanos = System.nanoTime();
                onMessage(m);
            }
        }

        private void onMessage(Message m) {
            if (m instanceof Message.Ack ack) {
                complete(ack.seq(), Reply.OK);
            } else if (m instanceof Message.Error e) {
                if (e.seq() == 0 || !complete(e.seq(), Reply.refused(e.code(), e.detail()))) {
                    LOG.warn("safety refused a frame: {} {}", e.code(), e.detail());
                }
            } else if (m instanceof Message.StatusMessage s) {
                onStatus(s.status());
            } else if (m instanceof Message.FaultReport f) {
                LOG.warn("safety reports fault {} {} at board time {} ms", f.fault(),
                        f.raised() ? "raised" : "cleared", f.boardMillis());
            } else {
                LOG.warn("unexpected {} from safety; ignored", m.type().messageName());
            }
        }

        private boolean complete(long seq, Reply reply) {
            CompletableFuture<Reply> f = pending.remove(seq);
            return f != null && f.complete(reply);
        }

        /** Queues the frame for the writer; a failed write closes this session. */
        void send(Message m) {
            byte[] frame = LinkCodec.encode(m);
            try {
                writer.execute(() -> {
                    try {
                        write(frame);
                    } catch (IOException e) {
                        close("write failed: " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                close("client stopping");
            }
        }

        private void write(byte[] frame) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(frame);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        void close(String reason) {
            synchronized (sendLock) {
                if (closed) {
                    return;
                }
                closed = true;
                closeReason = reason;
                up = false;
                Reply gone = Reply.refused(ErrorCode.NOT_CONNECTED, "connection to safety closed: " + reason);
                pending.values().forEach(f -> f.complete(gone));
                pending.clear();
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("close failed", e);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
