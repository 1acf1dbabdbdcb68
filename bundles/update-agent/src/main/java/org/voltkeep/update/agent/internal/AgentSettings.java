package org.voltkeep.update.agent.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The agent's settings, resolved from its configuration and the framework properties, and checked. */
record AgentSettings(
        Path downloadDir,
        Path bootSocket,
        long maxImageBytes,
        int retries,
        Duration backoffInitial,
        Duration backoffMax,
        Duration connectTimeout,
        Duration readTimeout,
        Optional<Path> trustAnchorsPem,
        Duration bootTimeout,
        Duration stopTimeout,
        Duration chargerPoll,
        Duration rebootTimeout,
        Duration commitPoll) {

    static final String DATA_DIR_PROPERTY = "voltkeep.data.dir";
    static final String RUN_DIR_PROPERTY = "voltkeep.run.dir";

    AgentSettings {
        Objects.requireNonNull(downloadDir, "downloadDir");
        Objects.requireNonNull(bootSocket, "bootSocket");
        Objects.requireNonNull(trustAnchorsPem, "trustAnchorsPem");
        if (maxImageBytes < 1) {
            throw new IllegalArgumentException("maxImageBytes " + maxImageBytes + " must be at least 1");
        }
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries " + retries + " is outside 0..100");
        }
        for (Duration d : new Duration[] {backoffInitial, backoffMax, connectTimeout, readTimeout, bootTimeout, stopTimeout,
                chargerPoll, rebootTimeout, commitPoll}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every duration must be positive, found " + d);
            }
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMaxMillis " + backoffMax.toMillis() + " is below backoffInitialMillis "
                    + backoffInitial.toMillis());
        }
    }

    /** @param properties framework properties (voltkeep.data.dir, voltkeep.run.dir) */
    static AgentSettings from(Config c, UnaryOperator<String> properties) {
        Path download = c.downloadDir().isBlank()
                ? Path.of(required(properties, DATA_DIR_PROPERTY, "downloadDir")).resolve("updates")
                : path("downloadDir", c.downloadDir());
        Path socket = c.bootSocketPath().isBlank()
                ? Path.of(required(properties, RUN_DIR_PROPERTY, "bootSocketPath")).resolve("boot.sock")
                : path("bootSocketPath", c.bootSocketPath());
        Optional<Path> anchors = c.trustAnchorsPem().isBlank() ? Optional.empty() : Optional.of(path("trustAnchorsPem", c.trustAnchorsPem()));
        return new AgentSettings(download, socket, c.maxImageBytes(), c.retries(), Duration.ofMillis(c.backoffInitialMillis()),
                Duration.ofMillis(c.backoffMaxMillis()), Duration.ofMillis(c.connectTimeoutMillis()),
                Duration.ofMillis(c.readTimeoutMillis()), anchors, Duration.ofSeconds(c.bootTimeoutSeconds()),
                Duration.ofSeconds(c.stopTimeoutSeconds()), Duration.ofMillis(c.chargerPollMillis()),
                Duration.ofSeconds(c.rebootTimeoutSeconds()), Duration.ofMillis(c.commitPollMillis()));
    }

    /** The wait before retry number {@code retry} (1-based): the initial back-off doubling, capped. */
    Duration backoff(int retry) {
        long ms = backoffInitial.toMillis();
        for (int i = 1; i < retry && ms < backoffMax.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }

    /** A duration as people read it: "400 ms", "60 s". */
    static String words(Duration d) {
        return d.toMillis() < 1000 || d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static String required(UnaryOperator<String> properties, String property, String key) {
        String v = properties.apply(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("configuration " + UpdateAgent.PID + " has no " + key + " and the framework property "
                    + property + " is not set");
        }
        return v;
    }

    private static Path path(String key, String value) {
        if (value.contains("${")) {
            throw new IllegalStateException("configuration " + UpdateAgent.PID + ": " + key + " '" + value
                    + "' still holds a ${...} reference");
        }
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new IllegalStateException("configuration " + UpdateAgent.PID + ": " + key + " '" + value + "' must be an absolute path");
        }
        return p;
    }
}
