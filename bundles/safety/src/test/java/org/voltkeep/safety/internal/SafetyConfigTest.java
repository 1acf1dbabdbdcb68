package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.FallbackMode;

class SafetyConfigTest {

    @Test
    void defaults_are_the_documented_ones() {
        SafetyConfig c = SafetyConfig.defaults();
        assertThat(c.configuredMaxCurrentAmps()).isEqualTo(32);
        assertThat(c.linkTimeoutMillis()).isEqualTo(3000);
        assertThat(c.fallback()).isEqualTo(FallbackMode.SAFE_CURRENT);
        assertThat(c.fallbackCurrentAmps()).isEqualTo(6);
        assertThat(c.derateStartCelsius()).isEqualTo(60);
        assertThat(c.stopCelsius()).isEqualTo(80);
        assertThat(c.resumeCelsius()).isEqualTo(50);
        assertThat(c.weldCheckMillis()).isEqualTo(500);
        assertThat(c.closeCheckMillis()).isEqualTo(500);
        assertThat(c.stopOpenTimeoutMillis()).isEqualTo(3000);
        assertThat(c.ventilationAvailable()).isFalse();
        assertThat(c.loopPeriodMillis()).isEqualTo(10);
        assertThat(c.watchdogTimeoutMillis()).isEqualTo(2000);
    }

    @Test
    void the_metatype_defaults_map_to_the_same_values() {
        SafetyConfig fromOsgi = SafetyConfig.from(metatypeDefaults("state/safety"));
        assertThat(fromOsgi.toBuilder().stateDir(java.util.Optional.empty()).build())
                .isEqualTo(SafetyConfig.defaults());
        assertThat(fromOsgi.stateDir()).contains(Path.of("state/safety"));
    }

    @Test
    void an_empty_state_dir_is_refused_by_the_component() {
        assertThatThrownBy(() -> SafetyConfig.from(metatypeDefaults(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stateDir");
    }

    @Test
    void inconsistent_values_are_refused_naming_the_keys() {
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().stopCelsius(60).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stopCelsius (60)").hasMessageContaining("derateStartCelsius (60)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().resumeCelsius(85).build())
                .hasMessageContaining("resumeCelsius (85)").hasMessageContaining("stopCelsius (80)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().configuredMaxCurrentAmps(5).build())
                .hasMessageContaining("configuredMaxCurrentAmps (5)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().fallbackCurrentAmps(40).build())
                .hasMessageContaining("fallbackCurrentAmps (40)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().fallbackCurrentAmps(3).build())
                .hasMessageContaining("fallbackCurrentAmps (3)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().weldCheckMillis(0).build())
                .hasMessageContaining("weldCheckMillis (0)");
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().watchdogTimeoutMillis(20).build())
                .hasMessageContaining("watchdogTimeoutMillis (20)");
        // several problems are reported together
        assertThatThrownBy(() -> SafetyConfig.defaults().toBuilder().closeCheckMillis(-1).linkTimeoutMillis(0)
                .build()).hasMessageContaining("closeCheckMillis").hasMessageContaining("linkTimeoutMillis");
    }

    @Test
    void zero_fallback_current_is_a_valid_choice() {
        assertThat(SafetyConfig.defaults().toBuilder().fallbackCurrentAmps(0).build().fallbackCurrentAmps())
                .isZero();
    }

    /**
     * The annotation's own defaults, as Configuration Admin delivers them when a
     * configuration sets only {@code stateDir}.
     */
    private static Config metatypeDefaults(String stateDir) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stateDir")) {
                        return stateDir;
                    }
                    if (method.getName().equals("annotationType")) {
                        return Config.class;
                    }
                    return method.getDefaultValue();
                });
    }
}
