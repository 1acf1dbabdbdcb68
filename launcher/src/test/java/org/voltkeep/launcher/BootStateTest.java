package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootStateTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndLeavesNoTemporaryFile() throws IOException {
        DeviceLayout d = new DeviceLayout(dir);
        new BootState(BootState.FORMAT, "b").write(d);
        assertThat(BootState.read(d)).isEqualTo(new BootState(1, "b"));
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("boot-state");
        }
    }

    @Test
    void refusesUnknownFormatsAndSlotsNamingTheProblem() throws IOException {
        DeviceLayout d = new DeviceLayout(dir);
        Files.writeString(d.bootState(), "format=2\nprimary=a\n");
        assertThatThrownBy(() -> BootState.read(d)).hasMessageContaining("format 2 is not supported");
        Files.writeString(d.bootState(), "format=1\nprimary=c\n");
        assertThatThrownBy(() -> BootState.read(d)).hasMessageContaining("primary slot 'c' is not a or b");
        Files.writeString(d.bootState(), "primary=a\n");
        assertThatThrownBy(() -> BootState.read(d)).hasMessageContaining("no 'format' line");
        Files.writeString(d.bootState(), "format=x\nprimary=a\n");
        assertThatThrownBy(() -> BootState.read(d)).hasMessageContaining("format 'x' is not a number");
    }
}
