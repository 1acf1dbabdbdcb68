package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;

/** The real control thread and the DS component on a simulated board (board time does not move here). */
class ControlLoopTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Reacts at once, so the loop can reach C2 without board time passing. */
    private static final EvProfile INSTANT = new EvProfile("instant", 16_000, 3, 40_000, 20, 100, true, false, 0);

    /** Polls a condition until it holds or the (generous) wall deadline passes. */
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
    void an_input_change_wakes_the_loop_without_waiting_for_its_period() throws Exception {
        SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        // A period far longer than the patience: only the input listener can explain a quick reaction.
        SafetyConfig cfg = SafetyConfig.defaults().toBuilder().loopPeriodMillis(1000).watchdogTimeoutMillis(5000)
                .build();
        try (SafetyController ctl = new SafetyController(board, cfg, LinkClock.system())) {
            ctl.start();
            await("the first cycle ran", () -> ctl.status().selfTestPassed());
            long t0 = System.nanoTime();
            board.plugIn(INSTANT, CableRating.A32);
            await("the loop saw the vehicle", () -> ctl.status().state() == ChargerState.B1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
            assertThatThrownBy(ctl::start).isInstanceOf(IllegalStateException.class);
        }
        assertThat(board.watchdogArmed()).isFalse();
    }

    @Test
    void the_component_runs_the_loop_and_deactivation_leaves_the_board_safe(@TempDir Path stateDir) {
        SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        SafetyComponent component = new SafetyComponent(board, config(Map.of("stateDir", stateDir.toString(),
                "loopPeriodMillis", 5L)));
        try {
            await("self-test passed", () -> component.status().selfTestPassed());
            assertThat(board.watchdogArmed()).isTrue();
            board.plugIn(INSTANT, CableRating.A32);
            assertThat(component.authorize("card").accepted()).isTrue();
            await("charging", () -> component.status().charging());
            assertThat(board.contactor().commandedClosed()).isTrue();
        } finally {
            component.deactivate();
        }
        assertThat(board.contactor().commandedClosed()).isFalse();
        assertThat(board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(board.watchdogArmed()).isFalse();
        // nothing runs any more: a new input change is not acted on
        long pets = board.watchdogPets();
        board.unplug();
        board.plugIn(INSTANT, CableRating.A32);
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        assertThat(board.watchdogPets()).isEqualTo(pets);
    }

    @Test
    void the_component_refuses_an_inconsistent_configuration_naming_the_keys(@TempDir Path stateDir) {
        SimulatedBoard board = new SimulatedBoard(new SimClock(), Current.ofAmps(32));
        assertThatThrownBy(() -> new SafetyComponent(board, config(Map.of("stateDir", stateDir.toString(),
                "derateStartCelsius", 85))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stopCelsius (80)").hasMessageContaining("derateStartCelsius (85)");
        assertThat(board.watchdogArmed()).isFalse();
    }

    /** The metatype defaults with some values overridden, as Configuration Admin would deliver them. */
    private static Config config(Map<String, Object> overrides) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return Config.class;
                    }
                    return overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
