package org.voltkeep.hal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.PwmDuty;

class ListenerTest {
    private final Rig rig = new Rig();
    private final SimulatedBoard board = rig.board;
    private final AtomicInteger wakes = new AtomicInteger();

    ListenerTest() {
        board.onInputChange(wakes::incrementAndGet);
    }

    private int wakesDuring(Runnable r) {
        int before = wakes.get();
        r.run();
        return wakes.get() - before;
    }

    @Test
    void inputEdgesWakeTheLoopSynchronously() {
        assertThat(wakesDuring(() -> board.plugIn(EvProfile.standard(), CableRating.A32))).isEqualTo(1);
        assertThat(wakesDuring(() -> rig.offer(16))).isZero();
        assertThat(wakesDuring(() -> rig.step(499))).isZero();
        assertThat(wakesDuring(() -> rig.step(1))).as("pilot B to C").isEqualTo(1);
        assertThat(wakesDuring(() -> board.contactor().command(true))).isZero();
        assertThat(wakesDuring(() -> rig.step(20))).as("contactor feedback").isEqualTo(1);
        assertThat(wakesDuring(() -> board.inject(SimFault.RCD_DC_6MA))).as("RCD").isEqualTo(1);
        assertThat(wakesDuring(() -> board.inject(SimFault.PP_REMOVED))).as("PP").isEqualTo(1);
        assertThat(wakesDuring(() -> board.cableLock().command(true))).isZero();
        assertThat(wakesDuring(() -> rig.step(20))).as("lock feedback").isEqualTo(1);
        assertThat(wakesDuring(() -> rig.step(1000))).as("nothing changes").isZero();
        assertThat(wakesDuring(board::unplug)).as("unplug").isEqualTo(1);
    }

    @Test
    void temperatureWakesTheLoopOnEachWholeDegree() {
        rig.charge(EvProfile.standard(), 16);
        board.inject(SimFault.OVER_TEMPERATURE);
        // 2 °C per second: 10 whole degrees in 5 s, each in its own sub-step.
        assertThat(wakesDuring(() -> rig.step(5000))).isEqualTo(10);
    }

    @Test
    void pwmThatTurnsThePilotToFWakesTheLoop() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        board.inject(SimFault.DIODE_MISSING);
        assertThat(wakesDuring(() -> rig.offer(16))).isEqualTo(1);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.F);
    }

    @Test
    void everyOutputChangeIsASimEvent() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.offer(16);
        rig.offer(16);
        board.contactor().command(true);
        board.contactor().command(true);
        rig.step(600);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        board.contactor().command(false);
        rig.step(600);
        board.unplug();
        assertThat(rig.kinds()).containsExactly(
                SimEvent.Kind.PLUGGED,
                SimEvent.Kind.PWM_CHANGED,
                SimEvent.Kind.CONTACTOR_COMMANDED,
                SimEvent.Kind.CONTACTOR_FEEDBACK,
                SimEvent.Kind.EV_READY,
                SimEvent.Kind.PWM_CHANGED,
                SimEvent.Kind.CONTACTOR_COMMANDED,
                SimEvent.Kind.CONTACTOR_FEEDBACK,
                SimEvent.Kind.EV_STANDBY,
                SimEvent.Kind.UNPLUGGED);
        assertThat(rig.events.get(1).detail()).isEqualTo(String.valueOf(PwmDuty.forCurrent(org.voltkeep.hal.Current.ofAmps(16)).permille()));
        assertThat(rig.events.get(3).boardMillis()).isEqualTo(20);
        assertThat(rig.events.get(4).boardMillis()).isEqualTo(500);
    }

    @Test
    void listenersRunOutsideTheBoardLock() throws Exception {
        // A listener that waits for another thread to use the board would deadlock if it held the lock.
        List<CpState> seenByOtherThread = new ArrayList<>();
        board.onInputChange(() -> {
            try {
                seenByOtherThread.add(CompletableFuture.supplyAsync(() -> board.controlPilot().measuredState())
                        .get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        board.plugIn(EvProfile.standard(), CableRating.A32);
        assertThat(seenByOtherThread).containsExactly(CpState.B);
    }

    @Test
    void listenersMayCallTheBoardAndAFailingListenerDoesNotStopOthers() {
        List<CpState> seen = new ArrayList<>();
        board.onInputChange(() -> {
            throw new IllegalStateException("listener failure for the test");
        });
        board.onInputChange(() -> seen.add(board.controlPilot().measuredState()));
        board.addSimListener(e -> {
            if (e.kind() == SimEvent.Kind.EV_READY) {
                board.contactor().command(true);
            }
        });
        board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.offer(16);
        rig.step(600);
        assertThat(seen).containsExactly(CpState.B, CpState.C, CpState.C);
        assertThat(board.contactor().feedbackClosed()).isTrue();
    }

    @Test
    void removedListenersAreNotCalled() {
        Runnable l = wakes::incrementAndGet;
        board.onInputChange(l);
        board.removeInputListener(l);
        SimListener s = rig.events::add;
        board.addSimListener(s);
        board.removeSimListener(s);
        board.plugIn(EvProfile.standard(), CableRating.A32);
        assertThat(wakes.get()).isEqualTo(1);
        assertThat(rig.events).hasSize(1);
    }

    @Test
    void concurrentStepsAndOutputsKeepTheBoardConsistent() throws Exception {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        Thread loop = new Thread(() -> {
            for (int i = 0; i < 2000; i++) {
                boolean on = i % 2 == 0;
                board.controlPilot().setDuty(on ? PwmDuty.forCurrent(org.voltkeep.hal.Current.ofAmps(16)) : PwmDuty.STATIC_HIGH);
                board.contactor().command(on);
                board.watchdog().pet();
            }
        });
        loop.start();
        for (int i = 0; i < 2000; i++) {
            rig.step(1);
        }
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(board.clock().millis()).isEqualTo(2000);
        // Events are delivered in the order they happened: board times never go backwards.
        long last = 0;
        for (SimEvent e : rig.events) {
            assertThat(e.boardMillis()).isGreaterThanOrEqualTo(last);
            last = e.boardMillis();
        }
        assertThat(board.watchdogPets()).isEqualTo(2000);
    }
}
