package org.voltkeep.safety.link.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Reply;
import org.voltkeep.link.FrameReader;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.LinkProtocolException;
import org.voltkeep.link.Message;
import org.voltkeep.link.Message.Hello;
import org.voltkeep.link.Message.Request;
import org.voltkeep.safety.api.ChargeController;

/**
 * One application-domain connection: a reader thread that decodes, checks and
 * applies requests, and a writer thread that drains the {@link Outbox}. Nothing a
 * peer sends can throw out of these threads; the worst a peer can do is get its
 * own connection closed.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final LinkServer server;
    private final ChargeController controller;
    private final SocketChannel channel;
    private final String name;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final long openedNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean helloDone;
    private volatile long finishingSinceNanos = Long.MIN_VALUE;
    /** Highest seq accepted; touched by the reader thread only. */
    private long lastSeq;

    Connection(LinkServer server, SocketChannel channel, String name) {
        this.server = server;
        this.controller = server.controller();
        this.channel = channel;
        this.name = name;
        LinkServerSettings s = server.settings();
        this.outbox = new Outbox(s.outboxCapacity());
        this.openedNanos = server.nanoTime();
        this.limiter = new RateLimiter(s.maxMessagesPerSecond(), s.burst(), s.floodCloseAfter(), openedNanos);
    }

    void start() {
        Thread reader = new Thread(this::readLoop, name + "-read");
        Thread writer = new Thread(this::writeLoop, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        writer.start();
        reader.start();
    }

    String name() {
        return name;
    }

    boolean helloDone() {
        return helloDone;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Queues a message; a peer that lets its queue fill up is dropped (by the writer thread). */
    void send(Message m) {
        if (!outbox.offer(m)) {
            LOG.warn("{}: peer does not read its replies ({} queued); closing", name, server.settings().outboxCapacity());
            // Close from the writer thread: this may run on the controller's thread.
            outbox.close();
        }
    }

    void offerStatus(Message.StatusMessage s) {
        outbox.offerStatus(s);
    }

    /** Called by the server's housekeeping with the current monotonic time. */
    void housekeeping(long nowNanos) {
        LinkServerSettings s = server.settings();
        if (!helloDone && finishingSinceNanos == Long.MIN_VALUE
                && nowNanos - openedNanos >= s.helloTimeout().toNanos()) {
            LOG.warn("{}: no Hello within {} ms; closing", name, s.helloTimeout().toMillis());
            finish(Message.Error.of(0, ErrorCode.BAD_SEQUENCE,
                    "no Hello within " + s.helloTimeout().toMillis() + " ms"));
        } else if (finishingSinceNanos != Long.MIN_VALUE
                && nowNanos - finishingSinceNanos >= s.helloTimeout().toNanos()) {
            // The last words did not get out: the peer does not read.
            closeNow();
        }
    }

    /** Sends a last message, lets the writer flush the queue, then closes. */
    private void finish(Message last) {
        send(last);
        finishingSinceNanos = server.nanoTime();
        outbox.finish();
    }

    /** Idempotent; never throws. */
    void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        outbox.close();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed", name, e);
        }
        server.connectionClosed(this);
    }

    private void readLoop() {
        FrameReader reader = new FrameReader(channel);
        try {
            boolean keepReading = true;
            while (keepReading && !outbox.finishing()) {
                Message m = null;
                LinkProtocolException refusal = null;
                try {
                    m = LinkCodec.decode(reader.read());
                } catch (LinkProtocolException e) {
                    refusal = e;
                }
                keepReading = onFrame(m, refusal);
            }
        } catch (EOFException | ClosedChannelException e) {
            LOG.debug("{}: closed ({})", name, e.getMessage());
            closeNow();
        } catch (IOException e) {
            LOG.info("{}: read failed: {}", name, e.toString());
            closeNow();
        } catch (Throwable t) {
            LOG.error("{}: reader failed; closing the connection", name, t);
            closeNow();
        }
    }

    private void writeLoop() {
        try {
            Message m;
            while ((m = outbox.take()) != null) {
                ByteBuffer frame;
                try {
                    frame = ByteBuffer.wrap(LinkCodec.encode(m));
                } catch (RuntimeException e) {
                    LOG.error("{}: cannot encode {}; dropped", name, m.type().messageName(), e);
                    continue;
                }
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            }
        } catch (ClosedChannelException e) {
            LOG.debug("{}: writer stopped, channel closed", name);
        } catch (IOException e) {
            LOG.info("{}: write failed: {}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("{}: writer failed; closing the connection", name, t);
        } finally {
            closeNow();
        }
    }

    /** Handles one frame, decoded or refused; false ends the reading. */
    private boolean onFrame(Message m, LinkProtocolException refusal) {
        try {
            long seq = m instanceof Request r ? r.seq() : refusal != null ? refusal.seq() : 0;
            LinkServerSettings s = server.settings();
            switch (limiter.admit(server.nanoTime())) {
                case CLOSE -> {
                    LOG.warn("{}: flooding above {} messages/s for {} s; closing", name, s.maxMessagesPerSecond(),
                            s.floodCloseAfter().toSeconds());
                    finish(Message.Error.of(seq, ErrorCode.RATE_LIMITED, "closing: more than "
                            + s.maxMessagesPerSecond() + " messages/s for " + s.floodCloseAfter().toSeconds() + " s"));
                    return false;
                }
                case REJECT -> {
                    send(Message.Error.of(seq, ErrorCode.RATE_LIMITED, "more than " + s.maxMessagesPerSecond()
                            + " messages/s (burst " + s.burst() + "); request not applied"));
                    return true;
                }
                case ADMIT -> {
                    // go on
                }
            }
            if (refusal != null) {
                LOG.debug("{}: refused frame: {}", name, refusal.getMessage());
                Message.Error error = Message.Error.of(refusal.seq(), refusal.code(), refusal.detail());
                if (!helloDone) {
                    finish(error);
                    return false;
                }
                send(error);
                return true;
            }
            return helloDone ? serve(m) : handshake(m);
        } catch (RuntimeException e) {
            // A bug on this side must not end the link: refuse the frame and go on.
            LOG.error("{}: failed to handle {}", name, m == null ? "a refused frame" : m.type().messageName(), e);
            send(Message.Error.of(m instanceof Request r ? r.seq() : 0, ErrorCode.INTERNAL,
                    "safety failed to handle the message"));
            return true;
        }
    }

    private boolean handshake(Message m) {
        if (m instanceof Hello hello) {
            if (hello.protocolVersion() != LinkCodec.PROTOCOL_VERSION) {
                LOG.warn("{}: peer '{}' speaks protocol {}, safety speaks {}; closing", name, hello.peerName(),
                        hello.protocolVersion(), LinkCodec.PROTOCOL_VERSION);
                finish(Message.Error.of(0, ErrorCode.VERSION_MISMATCH, "protocol version " + hello.protocolVersion()
                        + " is not supported; safety speaks " + LinkCodec.PROTOCOL_VERSION));
                return false;
            }
            LOG.info("{}: Hello from '{}'", name, hello.peerName());
            heartbeat();
            send(new Message.HelloAck(LinkCodec.PROTOCOL_VERSION, server.startId()));
            helloDone = true;
            server.handshakeDone(this);
            return true;
        }
        finish(Message.Error.of(m instanceof Request r ? r.seq() : 0, ErrorCode.BAD_SEQUENCE,
                m.type().messageName() + " before Hello: the first message must be Hello"));
        return false;
    }

    private boolean serve(Message m) {
        if (m instanceof Hello) {
            send(Message.Error.of(0, ErrorCode.BAD_SEQUENCE, "second Hello on an open link"));
            return true;
        }
        if (!(m instanceof Request request)) {
            send(Message.Error.of(0, ErrorCode.NOT_ALLOWED,
                    m.type().messageName() + " is sent by safety, never to it"));
            return true;
        }
        long seq = request.seq();
        if (seq <= lastSeq) {
            send(Message.Error.of(seq, ErrorCode.BAD_SEQUENCE, "seq " + seq + " is not above the last accepted seq "
                    + lastSeq + " (replay or duplicate); not applied"));
            return true;
        }
        lastSeq = seq;
        heartbeat();
        Reply reply = apply(request);
        if (reply != null && reply.accepted()) {
            send(new Message.Ack(seq));
            if (request instanceof Message.StatusRequest) {
                server.sendCurrentStatus(this);
            }
        } else {
            ErrorCode code = reply == null || reply.code() == null || reply.code() == ErrorCode.NONE
                    ? ErrorCode.INTERNAL : reply.code();
            String detail = reply == null ? "safety gave no answer" : reply.detail();
            send(Message.Error.of(seq, code, detail));
        }
        return true;
    }

    private Reply apply(Request request) {
        try {
            return switch (request.type()) {
                case KEEP_ALIVE, STATUS_REQUEST -> Reply.OK;
                case AUTHORIZE -> controller.authorize(((Message.Authorize) request).idTag());
                case STOP -> controller.stop(((Message.Stop) request).reason());
                case SET_LIMIT -> controller.setLimit(((Message.SetLimit) request).toLimitRequest());
                case CLEAR_LIMIT -> controller.clearLimit(((Message.ClearLimit) request).claimId());
                case RESET_FAULTS -> controller.resetFaults();
                default -> throw new IllegalStateException(request.type() + " is not a request");
            };
        } catch (RuntimeException e) {
            LOG.error("{}: controller failed on {}", name, request.type().messageName(), e);
            return Reply.refused(ErrorCode.INTERNAL,
                    "safety failed on " + request.type().messageName() + ": " + e.getClass().getSimpleName());
        }
    }

    private void heartbeat() {
        try {
            controller.linkHeartbeat();
        } catch (RuntimeException e) {
            LOG.error("{}: controller failed on linkHeartbeat", name, e);
        }
    }
}
