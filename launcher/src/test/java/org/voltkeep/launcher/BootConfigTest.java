package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWithoutAFileAndEveryKeyRead() throws Exception {
        DeviceLayout d = new DeviceLayout(dir);
        assertThat(BootConfig.read(d)).isEqualTo(new BootConfig(3, Duration.ofSeconds(60), 3));
        Files.createDirectories(BootConfig.file(d).getParent());
        Files.writeString(BootConfig.file(d), "# trial\ntrial.attempts = 5\ntrial.window-seconds=30\n\ntrial.max-app-exits=2\n");
        assertThat(BootConfig.read(d)).isEqualTo(new BootConfig(5, Duration.ofSeconds(30), 2));
        Files.writeString(BootConfig.file(d), "trial.window-seconds=20\n");
        assertThat(BootConfig.read(d)).isEqualTo(new BootConfig(3, Duration.ofSeconds(20), 3));
    }

    @Test
    void refusesWhatItDoesNotUnderstandWithTheLine() throws Exception {
        DeviceLayout d = new DeviceLayout(dir);
        Files.createDirectories(BootConfig.file(d).getParent());
        assertRefused(d, "trial.atempts=3\n", "line 1: unknown key 'trial.atempts'");
        assertRefused(d, "trial.attempts=0\n", "trial.attempts must be a whole number in 1..100, not '0'");
        assertRefused(d, "trial.window-seconds=1\n", "trial.window-seconds must be a whole number in 5..3600");
        assertRefused(d, "trial.attempts=3\ntrial.attempts=4\n", "line 2: 'trial.attempts' appears twice");
        assertRefused(d, "\ntrial.max-app-exits=lots\n", "line 2: trial.max-app-exits must be a whole number");
        assertRefused(d, "attempts 3\n", "expected key=value");
    }

    private static void assertRefused(DeviceLayout d, String text, String message) throws Exception {
        Files.writeString(BootConfig.file(d), text);
        assertThatThrownBy(() -> BootConfig.read(d)).isInstanceOf(UsageException.class).hasMessageContaining(message)
                .hasMessageContaining("boot.properties");
    }
}
