package org.voltkeep.safety.hold.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;

/** The DS component with its real thread, on a simulated board that a runner moves in real time (sped up). */
class HoldComponentTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void the_component_holds_a_running_board_while_a_car_waits_and_leaves_it_safe_on_deactivation() {
        SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        List<SimEvent> closings = new CopyOnWriteArrayList<>();
        board.addSimListener(e -> {
            if ((e.kind() == SimEvent.Kind.CONTACTOR_COMMANDED || e.kind() == SimEvent.Kind.CONTACTOR_FEEDBACK)
                    && e.detail().equals("closed")) {
                closings.add(e);
            }
        });
        try (SimulationRunner runner = new SimulationRunner(board, 20)) {
            runner.start();
            HoldComponent component = new HoldComponent(board, Configs.config(Map.of("loopPeriodMillis", 5L)));
            try {
                await("the first cycle confirmed the contactor open", () -> component.status().selfTestPassed());
                board.plugIn(EvProfile.standard(), CableRating.A32);
                await("the hold saw the cable", () -> component.status().cableMilliamps() == 32_000);
                assertThat(component.authorize("card").code()).isEqualTo(ErrorCode.NOT_ALLOWED);
                long boardStart = board.clock().millis();
                await("10 s of board time passed", () -> board.clock().millis() - boardStart > 10_000);
                assertThat(board.watchdog().expired()).as("the loop kept up with the sped-up board").isFalse();
                assertThat(board.ev().pilot()).isEqualTo(CpState.B);
                assertThat(board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_LOW);
                assertThat(component.status().activeFaults()).isEmpty();
            } finally {
                component.deactivate();
            }
        }
        assertThat(closings).isEmpty();
        assertThat(board.contactor().commandedClosed()).isFalse();
        assertThat(board.watchdogArmed()).isFalse();
        long pets = board.watchdogPets();
        board.unplug();
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        assertThat(board.watchdogPets()).as("nothing runs after deactivation").isEqualTo(pets);
    }

    @Test
    void an_inconsistent_configuration_is_refused_naming_every_wrong_key_and_nothing_is_armed() {
        SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        assertThatThrownBy(() -> new HoldComponent(board, Configs.config(Map.of("loopPeriodMillis", 0L,
                "feedbackCheckMillis", 70_000L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopPeriodMillis (0)")
                .hasMessageContaining("feedbackCheckMillis (70000)");
        assertThat(board.watchdogArmed()).isFalse();
    }
}
