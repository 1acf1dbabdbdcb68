package org.voltkeep.shell.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.voltkeep.charging.LimitRequest;

/** The shell's settings, resolved from its configuration and the framework properties. */
record Settings(Path simSocket, String claimId, int priority, Duration limitTtl, Duration simTimeout) {
    static final String RUN_DIR_PROPERTY = "voltkeep.run.dir";
    static final String SIM_SOCKET = "sim.sock";

    Settings {
        Objects.requireNonNull(simSocket, "simSocket");
        if (!LimitRequest.validClaimId(claimId)) {
            throw new IllegalArgumentException("claimId '" + claimId + "' must be 1..32 of A-Z a-z 0-9 . _ -");
        }
        if (priority < 0 || priority > LimitRequest.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0.." + LimitRequest.MAX_PRIORITY);
        }
    }

    /** @param runDir the framework property {@value #RUN_DIR_PROPERTY}, may be null */
    static Settings from(Config c, String runDir) {
        Path sim;
        if (!c.simSocketPath().isBlank()) {
            sim = Path.of(c.simSocketPath());
        } else if (runDir != null && !runDir.isBlank()) {
            sim = Path.of(runDir).resolve(SIM_SOCKET);
        } else {
            throw new IllegalStateException("no simulator socket path: configuration " + ShellCommands.PID
                    + " has no simSocketPath and the framework property " + RUN_DIR_PROPERTY + " is not set");
        }
        return new Settings(sim, c.claimId(), c.priority(), Duration.ofSeconds(c.limitTtlSeconds()),
                Duration.ofMillis(c.simTimeoutMillis()));
    }
}
