package org.voltkeep.safety.hold.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class HoldSettingsTest {

    @Test
    void the_defaults_are_the_metatype_defaults() {
        assertThat(HoldSettings.from(Configs.config(Map.of()))).isEqualTo(HoldSettings.defaults());
    }

    @Test
    void the_watchdog_must_outlast_two_periods() {
        assertThatThrownBy(() -> new HoldSettings(100, 200, 500, 3000))
                .hasMessageContaining("watchdogTimeoutMillis (200)").hasMessageContaining("loopPeriodMillis (100)");
        assertThatThrownBy(() -> new HoldSettings(10, 2000, 500, 50)).hasMessageContaining("linkTimeoutMillis (50)");
    }

    /** The file the recovery image ships is a configuration this component accepts. */
    @Test
    void the_recovery_image_configuration_is_valid() throws IOException {
        Path root = Path.of(System.getProperty("voltkeep.root", "../.."));
        Path cfg = root.resolve("recovery-image/config/safety/org.voltkeep.safety.hold.cfg");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        assertThat(values).isNotEmpty();
        for (String key : values.keySet()) {
            assertThat(Config.class.getDeclaredMethods()).as("key %s is an attribute", key)
                    .anyMatch(m -> m.getName().equals(key));
        }
        HoldSettings s = HoldSettings.from(Configs.config(values));
        assertThat(s.loopPeriodMillis()).isPositive();
    }
}
