package org.voltkeep.safety.link.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the server needs to know, checked once.
 *
 * @param helloTimeout     a connection that has not said Hello by then is closed, so
 *                         silent sockets cannot hold the connection slots
 * @param floodCloseAfter  a peer flooding (twice the rate or more) this long is closed
 * @param outboxCapacity   replies queued for a peer that does not read; one more closes it
 */
record LinkServerSettings(
        Path socketPath,
        int maxConnections,
        int maxMessagesPerSecond,
        int burst,
        Duration statusPeriod,
        Duration helloTimeout,
        Duration floodCloseAfter,
        int outboxCapacity) {

    static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_FLOOD_CLOSE_AFTER = Duration.ofSeconds(5);
    static final int DEFAULT_OUTBOX_CAPACITY = 256;

    LinkServerSettings {
        Objects.requireNonNull(socketPath, "socketPath");
        positive("maxConnections", maxConnections);
        positive("maxMessagesPerSecond", maxMessagesPerSecond);
        positive("burst", burst);
        positive("outboxCapacity", outboxCapacity);
        positive("statusPeriod", statusPeriod);
        positive("helloTimeout", helloTimeout);
        positive("floodCloseAfter", floodCloseAfter);
    }

    static LinkServerSettings defaults(Path socketPath) {
        return new LinkServerSettings(socketPath, 4, 50, 100, Duration.ofSeconds(1), DEFAULT_HELLO_TIMEOUT,
                DEFAULT_FLOOD_CLOSE_AFTER, DEFAULT_OUTBOX_CAPACITY);
    }

    static LinkServerSettings from(Config c) {
        if (c.socketPath() == null || c.socketPath().isBlank()) {
            throw new IllegalArgumentException("socketPath of org.voltkeep.safety.link is not configured");
        }
        return new LinkServerSettings(Path.of(c.socketPath()), c.maxConnections(), c.maxMessagesPerSecond(),
                c.burst(), Duration.ofMillis(c.statusPeriodMillis()), DEFAULT_HELLO_TIMEOUT,
                DEFAULT_FLOOD_CLOSE_AFTER, DEFAULT_OUTBOX_CAPACITY);
    }

    LinkServerSettings withMaxConnections(int n) {
        return new LinkServerSettings(socketPath, n, maxMessagesPerSecond, burst, statusPeriod, helloTimeout,
                floodCloseAfter, outboxCapacity);
    }

    LinkServerSettings withRate(int perSecond, int burstSize) {
        return new LinkServerSettings(socketPath, maxConnections, perSecond, burstSize, statusPeriod, helloTimeout,
                floodCloseAfter, outboxCapacity);
    }

    LinkServerSettings withStatusPeriod(Duration period) {
        return new LinkServerSettings(socketPath, maxConnections, maxMessagesPerSecond, burst, period, helloTimeout,
                floodCloseAfter, outboxCapacity);
    }

    LinkServerSettings withHelloTimeout(Duration timeout) {
        return new LinkServerSettings(socketPath, maxConnections, maxMessagesPerSecond, burst, statusPeriod, timeout,
                floodCloseAfter, outboxCapacity);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " " + value + " must be at least 1");
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " " + value + " must be positive");
        }
    }
}
