package org.voltkeep.update.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.agent.internal.UpdateTable.Event;
import org.voltkeep.update.agent.internal.UpdateTable.Row;

/**
 * The shape of the machine; what each row does is walked by {@code UpdateEngineTest},
 * whose tests name the rows they cover.
 */
class UpdateTableTest {

    @Test
    void everyStatusIsReachedFromDownloadingAndEveryWayEndsInATerminalOne() {
        Set<FirmwareStatus> reached = EnumSet.of(FirmwareStatus.Downloading);
        Deque<FirmwareStatus> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            FirmwareStatus s = todo.pop();
            for (Row r : UpdateTable.ROWS) {
                if (r.from() == s && reached.add(r.to())) {
                    todo.push(r.to());
                }
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(FirmwareStatus.values());
        for (FirmwareStatus s : FirmwareStatus.values()) {
            boolean hasExit = UpdateTable.ROWS.stream().anyMatch(r -> r.from() == s && r.to() != s);
            assertThat(hasExit).as(s + " has a way out exactly when it is not terminal").isEqualTo(!s.terminal());
        }
    }

    @Test
    void eachPairHasOneRowAndOthersAreRefused() {
        Set<String> pairs = new HashSet<>();
        for (Row r : UpdateTable.ROWS) {
            assertThat(pairs.add(r.from() + "/" + r.event())).as("one row for " + r.from() + " on " + r.event()).isTrue();
            assertThat(UpdateTable.next(r.from(), r.event())).isEqualTo(r.to());
        }
        assertThatThrownBy(() -> UpdateTable.next(FirmwareStatus.Installed, Event.CHARGER_IDLE))
                .isInstanceOf(IllegalStateException.class).hasMessage("update machine: no transition from Installed on CHARGER_IDLE");
        assertThatThrownBy(() -> UpdateTable.next(FirmwareStatus.Downloading, Event.ACTIVATED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReadmePrintsExactlyThisTable() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        List<String> printed = new ArrayList<>();
        for (String line : readme) {
            String[] cells = line.split("\\|");
            if (cells.length == 5 && UpdateTable.ROWS.stream().anyMatch(r -> r.from().name().equals(cells[1].strip()))) {
                printed.add(cells[1].strip() + " " + cells[2].strip() + " " + cells[3].strip() + " " + cells[4].strip());
            }
        }
        List<String> rows = new ArrayList<>();
        for (Row r : UpdateTable.ROWS) {
            rows.add(r.from() + " " + r.event() + " " + r.to() + " " + r.then());
        }
        assertThat(printed).isEqualTo(rows);
    }

    @Test
    void nothingActivatesStraightFromADownloadOrAnInstall() {
        // the only ways into Installing pass the charger check
        for (Row r : UpdateTable.ROWS) {
            if (r.to() == FirmwareStatus.Installing) {
                assertThat(r.event()).isIn(Event.CHARGER_IDLE, Event.CONTACTOR_OPEN, Event.FORCED_WITHOUT_STATUS);
                assertThat(r.from()).isIn(FirmwareStatus.SignatureVerified, FirmwareStatus.InstallScheduled);
            }
        }
    }
}
