package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgsTest {
    static final Set<String> VALUED = Set.of("device", "speed");
    static final Set<String> FLAGS = Set.of("json");

    @Test
    void parsesValuesFlagsAndEqualsForm() throws UsageException {
        Args a = Args.parse("demo", List.of("--device", "/d", "--speed=2.5", "--json"), VALUED, FLAGS);
        assertThat(a.value("device")).contains("/d");
        assertThat(a.positiveNumber("demo", "speed", 1)).isEqualTo(2.5);
        assertThat(a.flag("json")).isTrue();
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> Args.parse("demo", List.of("--devise", "x"), VALUED, FLAGS)).hasMessageContaining("unknown option --devise");
        assertThatThrownBy(() -> Args.parse("demo", List.of("--device"), VALUED, FLAGS)).hasMessageContaining("--device needs a value");
        assertThatThrownBy(() -> Args.parse("demo", List.of("--json=yes"), VALUED, FLAGS)).hasMessageContaining("--json takes no value");
        assertThatThrownBy(() -> Args.parse("demo", List.of("--speed", "fast"), VALUED, FLAGS).positiveNumber("demo", "speed", 1))
                .hasMessageContaining("--speed must be a positive number, not 'fast'");
        assertThatThrownBy(() -> Args.parse("demo", List.of("--speed", "0"), VALUED, FLAGS).positiveNumber("demo", "speed", 1))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Args.parse("demo", List.of("extra"), VALUED, FLAGS).noPositionals("demo"))
                .hasMessageContaining("unexpected argument 'extra'");
    }
}
