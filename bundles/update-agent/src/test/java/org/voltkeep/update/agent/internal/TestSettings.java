package org.voltkeep.update.agent.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings for tests: short waits, everything else as configured by default. */
final class TestSettings {
    Path downloadDir;
    Path bootSocket;
    long maxImageBytes = 16L * 1024 * 1024;
    int retries = 3;
    Duration backoffInitial = Duration.ofMillis(20);
    Duration backoffMax = Duration.ofMillis(100);
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration readTimeout = Duration.ofSeconds(5);
    Optional<Path> anchors = Optional.empty();
    Duration bootTimeout = Duration.ofSeconds(5);
    Duration stopTimeout = Duration.ofSeconds(10);
    Duration chargerPoll = Duration.ofMillis(20);
    Duration rebootTimeout = Duration.ofSeconds(30);
    Duration commitPoll = Duration.ofMillis(20);

    TestSettings(Path downloadDir, Path bootSocket) {
        this.downloadDir = downloadDir;
        this.bootSocket = bootSocket;
    }

    AgentSettings build() {
        return new AgentSettings(downloadDir, bootSocket, maxImageBytes, retries, backoffInitial, backoffMax, connectTimeout,
                readTimeout, anchors, bootTimeout, stopTimeout, chargerPoll, rebootTimeout, commitPoll);
    }
}
