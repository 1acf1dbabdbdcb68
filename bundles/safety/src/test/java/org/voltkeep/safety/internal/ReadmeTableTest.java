package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;

/** The README prints the transition table; this keeps the two from drifting apart. */
class ReadmeTableTest {

    static String from(Set<ChargerState> states) {
        if (states.equals(EnumSet.allOf(ChargerState.class))) {
            return "any";
        }
        EnumSet<ChargerState> missing = EnumSet.complementOf(EnumSet.copyOf(states));
        if (missing.size() == 1) {
            return "any but " + missing.iterator().next();
        }
        return states.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }

    static String line(Transition t) {
        return "| " + t.name() + " | " + from(t.from()) + " | " + t.event().name() + " | " + t.to().name() + " | "
                + t.pilot().name() + " | " + t.contactor().name() + " |";
    }

    @Test
    void every_row_of_the_table_is_printed_in_the_readme() throws IOException {
        // Surefire runs in the module directory.
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        for (Transition t : Transition.values()) {
            assertThat(readme).as("README row for %s", t).contains(line(t));
        }
        for (CycleEvent e : CycleEvent.values()) {
            assertThat(readme).as("README names event %s", e).contains("| " + e.name() + " |");
        }
    }
}
