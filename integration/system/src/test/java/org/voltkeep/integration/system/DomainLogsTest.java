package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundles' own log lines (SLF4J inside each framework) reach the domain logs in
 * DEVICE/data/logs: an operator reading safety.log or app.log sees what the components
 * did, not only what the launcher said about them.
 */
class DomainLogsTest {

    @Test
    void bundleLogLinesReachBothDomainLogs(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("dev");
        Voltkeep.Result r = Voltkeep.run(Duration.ofMinutes(3), "demo", "--device", device.toString(), "--speed", "100", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String safety = Files.readString(device.resolve("data/logs/safety.log"));
        String app = Files.readString(device.resolve("data/logs/app.log"));
        assertThat(safety).as("the safety domain's link server logs through SLF4J")
                .contains("INFO org.voltkeep.safety.link.internal.LinkServer - link server listening on")
                .doesNotContain("No SLF4J providers");
        assertThat(app).as("the application domain's link client logs through SLF4J")
                .contains("INFO org.voltkeep.link.client.internal.LinkClient - linked to safety on")
                .doesNotContain("No SLF4J providers");
    }
}
