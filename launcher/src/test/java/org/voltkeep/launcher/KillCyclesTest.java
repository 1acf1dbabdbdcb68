package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill-cycle torture at a small count (the full run is {@code integration/torture/kill-cycles}):
 * real child JVMs running the launcher's slot code on a real device directory, each
 * killed with SIGKILL at a random moment of an install, commit or rollback, each kill
 * checked by the next process's boot.
 */
class KillCyclesTest {
    static final int CYCLES = 15;

    @TempDir
    Path dir;

    @Test
    void everyProcessKilledDuringAnUpdateLeavesADeviceThatBootsAVerifiedImageWithItsConfiguration() throws Exception {
        long seed = System.nanoTime();
        Path saved = dir.resolve("results.txt");
        KillCycles.Result r = new KillCycles(new KillCycles.Options(CYCLES, seed, dir.resolve("work"), saved,
                System.getProperty("java.class.path"), false, 1), System.out).run();

        assertThat(r.failures()).as("seed %d: %s", seed, r.firstFailure()).isZero();
        assertThat(r.cycles()).isEqualTo(CYCLES);
        assertThat(r.killsPerPhase().values().stream().mapToInt(Integer::intValue).sum()).as("one SIGKILL per cycle").isEqualTo(CYCLES);
        assertThat(r.killsPerPhase().keySet()).as("kills spread over the sequence: %s", r.killsPerPhase()).hasSizeGreaterThan(1);
        assertThat(r.bootsAtCheck().values().stream().mapToInt(Integer::intValue).sum()).as("every kill checked").isEqualTo(CYCLES);
        assertThat(r.bootsAtCheck().keySet()).as("the recovery image never had to boot").noneMatch(b -> b.startsWith("slot r"));
        assertThat(r.finalCheck()).startsWith("CHECKED slot ");
        assertThat(Files.readString(saved)).contains("cycles:            " + CYCLES).contains("failures:          0");
    }
}
