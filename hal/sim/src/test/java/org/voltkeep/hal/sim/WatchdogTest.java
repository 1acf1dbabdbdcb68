package org.voltkeep.hal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.voltkeep.hal.PwmDuty;

class WatchdogTest {
    private final Rig rig = new Rig();
    private final SimulatedBoard board = rig.board;

    @Test
    void expiresWhenNotPettedWithinItsTimeout() {
        board.watchdog().arm(Duration.ofMillis(100));
        rig.step(99);
        assertThat(board.watchdog().expired()).isFalse();
        rig.step(1);
        assertThat(board.watchdog().expired()).isTrue();
        assertThat(rig.events).filteredOn(e -> e.kind() == SimEvent.Kind.WATCHDOG_EXPIRED)
                .singleElement().extracting(SimEvent::boardMillis).isEqualTo(100L);
    }

    @Test
    void pettingKeepsItAliveAndIsCounted() {
        board.watchdog().arm(Duration.ofMillis(100));
        for (int i = 0; i < 50; i++) {
            rig.step(90);
            board.watchdog().pet();
        }
        assertThat(board.watchdog().expired()).isFalse();
        assertThat(board.watchdogPets()).isEqualTo(50);
        assertThat(board.lastPetMillis()).isEqualTo(4500);
    }

    @Test
    void disarmedWatchdogNeverExpires() {
        board.watchdog().arm(Duration.ofMillis(100));
        board.watchdog().disarm();
        rig.step(10_000);
        assertThat(board.watchdog().expired()).isFalse();
    }

    @Test
    void expiryResetsTheOutputsLikeARealResetDoes() {
        rig.charge(EvProfile.standard(), 16);
        board.watchdog().arm(Duration.ofMillis(500));
        rig.step(600);
        assertThat(board.watchdog().expired()).isTrue();
        assertThat(board.contactor().commandedClosed()).isFalse();
        assertThat(board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(board.ev().drawingMilliamps()).isZero();
        rig.step(100);
        assertThat(board.contactor().feedbackClosed()).isFalse();
    }

    @Test
    void rearmingClearsTheExpiry() {
        board.watchdog().arm(Duration.ofMillis(10));
        rig.step(10);
        assertThat(board.watchdog().expired()).isTrue();
        board.watchdog().arm(Duration.ofMillis(10));
        assertThat(board.watchdog().expired()).isFalse();
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> board.watchdog().arm(Duration.ZERO)).hasMessageContaining("must be positive");
    }
}
