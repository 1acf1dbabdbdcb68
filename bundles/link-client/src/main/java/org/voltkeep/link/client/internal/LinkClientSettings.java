package org.voltkeep.link.client.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The client's timing, checked once.
 *
 * @param reconnectMin first wait after a failed or lost connection; doubles up to reconnectMax
 */
record LinkClientSettings(Path socketPath, Duration keepAlive, Duration requestTimeout, Duration reconnectMin,
        Duration reconnectMax) {

    LinkClientSettings {
        Objects.requireNonNull(socketPath, "socketPath");
        positive("keepAlive", keepAlive);
        positive("requestTimeout", requestTimeout);
        positive("reconnectMin", reconnectMin);
        positive("reconnectMax", reconnectMax);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException(
                    "reconnectMax " + reconnectMax + " is below reconnectMin " + reconnectMin);
        }
    }

    static LinkClientSettings from(Config c) {
        if (c.socketPath() == null || c.socketPath().isBlank()) {
            throw new IllegalArgumentException("socketPath of org.voltkeep.link.client is not configured");
        }
        return new LinkClientSettings(Path.of(c.socketPath()), Duration.ofMillis(c.keepAliveMillis()),
                Duration.ofMillis(c.requestTimeoutMillis()), Duration.ofMillis(c.reconnectMillis()),
                Duration.ofMillis(c.reconnectMaxMillis()));
    }

    /**
     * Safety acks every keep-alive, so nothing heard for this long means safety is
     * hung: the client drops the connection and reconnects. Longer than a request
     * timeout, so a single slow answer shows up as TIMEOUT first.
     */
    Duration silenceLimit() {
        Duration fourKeepAlives = keepAlive.multipliedBy(4);
        Duration twoTimeouts = requestTimeout.multipliedBy(2);
        return fourKeepAlives.compareTo(twoTimeouts) > 0 ? fourKeepAlives : twoTimeouts;
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " " + value + " must be positive");
        }
    }
}
