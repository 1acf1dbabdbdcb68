package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.Fault;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;

class FaultStoreTest {

    @Test
    void saved_faults_load_back_and_no_temp_file_is_left(@TempDir Path dir) throws IOException {
        FaultStore store = new FaultStore(dir.resolve("nested"));
        assertThat(store.load()).isEmpty();
        store.save(EnumSet.of(Fault.WATCHDOG_EXPIRED, Fault.CONTACTOR_WELDED));
        assertThat(store.load()).containsExactlyInAnyOrder(Fault.CONTACTOR_WELDED, Fault.WATCHDOG_EXPIRED);
        store.save(Set.of(Fault.CONTACTOR_WELDED));
        assertThat(store.load()).containsExactly(Fault.CONTACTOR_WELDED);
        try (var files = Files.list(dir.resolve("nested"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(FaultStore.FILE_NAME);
        }
    }

    @Test
    void an_unknown_entry_is_an_error_naming_the_line(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(FaultStore.FILE_NAME), "# header\nCONTACTOR_WELDED\nMELTED\n",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new FaultStore(dir).load()).isInstanceOf(IOException.class)
                .hasMessageContaining("line 3").hasMessageContaining("MELTED");
    }

    @Test
    void an_unreadable_store_fails_the_self_test_closed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(FaultStore.FILE_NAME), "GARBAGE\n", StandardCharsets.UTF_8);
        SafetyConfig cfg = SafetyConfig.defaults().toBuilder().stateDir(Optional.of(dir)).build();
        SafetyController ctl = new SafetyController(new SimulatedBoard(new SimClock(), Current.ofAmps(32)), cfg,
                new ManualLinkClock());
        ctl.cycleOnce();
        assertThat(ctl.status().selfTestPassed()).isFalse();
        assertThat(ctl.status().activeFaults()).contains(Fault.SELF_TEST_FAILED);
        assertThat(ctl.authorize("t").code()).isEqualTo(ErrorCode.FAULT_LATCHED);
    }

    @Test
    void only_permanent_faults_other_than_the_self_test_are_persisted() {
        for (Fault f : Fault.values()) {
            assertThat(SafetyController.persistent(f)).as(f.name())
                    .isEqualTo(f.latch() == Fault.Latch.PERMANENT && f != Fault.SELF_TEST_FAILED);
        }
    }
}
