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
import org.voltkeep.data.DataStore;
import org.voltkeep.data.Migration;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;

class FaultStoreTest {
    @TempDir
    Path data;

    Path stateDir() {
        return data.resolve("safety");
    }

    private SafetyController controllerOn(Path dir) {
        SafetyConfig cfg = SafetyConfig.defaults().toBuilder().stateDir(Optional.of(dir)).build();
        SafetyController ctl = new SafetyController(new SimulatedBoard(new SimClock(), Current.ofAmps(32)), cfg,
                new ManualLinkClock());
        ctl.cycleOnce();
        return ctl;
    }

    @Test
    void saved_faults_load_back_and_no_temp_file_is_left() throws IOException {
        FaultStore store = new FaultStore(stateDir());
        assertThat(store.load()).isEmpty();
        store.save(EnumSet.of(Fault.WATCHDOG_EXPIRED, Fault.CONTACTOR_WELDED));
        assertThat(store.load()).containsExactlyInAnyOrder(Fault.CONTACTOR_WELDED, Fault.WATCHDOG_EXPIRED);
        store.save(Set.of(Fault.CONTACTOR_WELDED));
        assertThat(new FaultStore(stateDir()).load()).containsExactly(Fault.CONTACTOR_WELDED);
        try (var files = Files.list(stateDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(FaultStore.FILE_NAME,
                    DataStore.SCHEMA_FILE);
        }
        assertThat(DataStore.recordedVersion(stateDir(), "safety")).contains(SchemaVersion.of(1, 0));
    }

    @Test
    void an_unknown_entry_is_an_error_naming_the_line() throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve(FaultStore.FILE_NAME), "# header\nCONTACTOR_WELDED\nMELTED\n",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new FaultStore(stateDir()).load()).isInstanceOf(IOException.class)
                .hasMessageContaining("line 3").hasMessageContaining("MELTED");
    }

    @Test
    void an_unreadable_store_fails_the_self_test_closed() throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve(FaultStore.FILE_NAME), "GARBAGE\n", StandardCharsets.UTF_8);
        SafetyController ctl = controllerOn(stateDir());
        assertThat(ctl.status().selfTestPassed()).isFalse();
        assertThat(ctl.status().activeFaults()).contains(Fault.SELF_TEST_FAILED);
        assertThat(ctl.authorize("t").code()).isEqualTo(ErrorCode.FAULT_LATCHED);
    }

    @Test
    void a_store_written_before_versions_were_recorded_keeps_its_latched_faults() throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve(FaultStore.FILE_NAME), "# old header\nCONTACTOR_WELDED\n", StandardCharsets.UTF_8);
        SafetyController ctl = controllerOn(stateDir());
        assertThat(ctl.status().activeFaults()).contains(Fault.CONTACTOR_WELDED);
        assertThat(DataStore.recordedVersion(stateDir(), "safety")).contains(SchemaVersion.of(1, 0));
    }

    @Test
    void a_newer_minor_with_a_file_of_its_own_is_read_and_left_as_it_is() throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve(DataStore.SCHEMA_FILE), "{\"store\":\"safety\",\"major\":1,\"minor\":2}");
        Files.writeString(stateDir().resolve(FaultStore.FILE_NAME), "CONTACTOR_WELDED\n");
        Files.writeString(stateDir().resolve("fault-history.jsonl"), "{\"fault\":\"CONTACTOR_WELDED\",\"at\":12}\n");

        FaultStore store = new FaultStore(stateDir());
        assertThat(store.load()).containsExactly(Fault.CONTACTOR_WELDED);
        store.save(EnumSet.of(Fault.CONTACTOR_WELDED, Fault.WATCHDOG_EXPIRED));

        assertThat(stateDir().resolve("fault-history.jsonl")).content().contains("\"at\":12");
        assertThat(DataStore.recordedVersion(stateDir(), "safety")).contains(SchemaVersion.of(1, 2));
    }

    @Test
    void a_store_of_a_newer_major_fails_the_self_test_even_with_a_kept_copy_and_nothing_changes() throws IOException {
        // a newer image migrated the store (keeping a copy), then latched a weld in its own form
        FaultStore today = new FaultStore(stateDir());
        today.save(Set.of());
        StoreSchema nextMajor = StoreSchema.of("safety", SchemaVersion.of(2, 0), Migration.of(1, 2,
                (source, target) -> Files.writeString(target.resolve("faults.json"), "{\"latched\":[]}")));
        DataStore.open(stateDir(), nextMajor, StoreListener.NONE);
        Files.writeString(stateDir().resolve("faults.json"), "{\"latched\":[\"CONTACTOR_WELDED\"]}");
        byte[] newer = Files.readAllBytes(stateDir().resolve("faults.json"));

        assertThatThrownBy(() -> new FaultStore(stateDir()).load()).isInstanceOf(IOException.class)
                .hasMessageContaining(stateDir().resolve("schema.json").toString())
                .hasMessageContaining("version 2.0")
                .hasMessageContaining("never returns to an older copy");
        SafetyController ctl = controllerOn(stateDir());
        assertThat(ctl.status().activeFaults()).as("the weld the newer image latched must not be forgotten")
                .contains(Fault.SELF_TEST_FAILED);
        assertThat(ctl.authorize("t").code()).isEqualTo(ErrorCode.FAULT_LATCHED);
        assertThat(Files.readAllBytes(stateDir().resolve("faults.json"))).isEqualTo(newer);
        assertThat(DataStore.keptCopy(stateDir(), 1)).as("the copy is still there for service").isDirectory();
    }

    @Test
    void only_permanent_faults_other_than_the_self_test_are_persisted() {
        for (Fault f : Fault.values()) {
            assertThat(SafetyController.persistent(f)).as(f.name())
                    .isEqualTo(f.latch() == Fault.Latch.PERMANENT && f != Fault.SELF_TEST_FAILED);
        }
    }
}
