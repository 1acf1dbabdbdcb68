package org.voltkeep.hal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;

class SimulationRunnerTest {
    private final Rig rig = new Rig();
    private final SimulatedBoard board = rig.board;
    private final SimulationRunner runner = new SimulationRunner(board);
    private MiniLoop loop;

    @AfterEach
    void stop() throws InterruptedException {
        runner.close();
        if (loop != null) {
            loop.close();
        }
    }

    /** Polls a condition for at most 10 s of wall time. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /**
     * A tiny stand-in for the safety loop: runs every 10 ms of wall time or when the
     * board wakes it, opens the contactor on an RCD trip, charges otherwise, pets the watchdog.
     */
    private static final class MiniLoop implements AutoCloseable {
        private final Semaphore wake = new Semaphore(0);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        MiniLoop(SimulatedBoard board) {
            board.onInputChange(wake::release);
            board.watchdog().arm(Duration.ofMillis(2000));
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        wake.tryAcquire(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    wake.drainPermits();
                    boolean tripped = board.rcdMonitor().status().tripped();
                    boolean ready = board.controlPilot().measuredState().vehicleReady();
                    board.controlPilot().setDuty(tripped ? PwmDuty.STATIC_HIGH : PwmDuty.forCurrent(Current.ofAmps(16)));
                    board.contactor().command(!tripped && ready);
                    board.watchdog().pet();
                }
            }, "mini-safety-loop");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(2000);
        }
    }

    @Test
    void runsFasterThanWallTime() throws InterruptedException {
        runner.setSpeed(1000);
        long wallStart = System.nanoTime();
        runner.start();
        await("5 s of board time", () -> board.clock().millis() >= 5000);
        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        assertThat(wallMillis).isLessThan(2500);
        assertThat(runner.running()).isTrue();
    }

    @Test
    void pauseStopsBoardTimeAndResumeRestartsIt() throws InterruptedException {
        runner.setSpeed(10);
        runner.start();
        await("board time moving", () -> board.clock().millis() > 50);
        runner.pause();
        Thread.sleep(20);
        long frozen = board.clock().millis();
        Thread.sleep(50);
        assertThat(board.clock().millis()).isEqualTo(frozen);
        runner.resume();
        await("board time moving again", () -> board.clock().millis() > frozen + 50);
    }

    @Test
    void aTickListenerCanHoldTimeAndStopsStepsAtItsDueTime() throws InterruptedException {
        AtomicBoolean hold = new AtomicBoolean(false);
        long[] seenAt = {-1};
        runner.addTickListener(new TickListener() {
            @Override
            public void onTick() {
                if (seenAt[0] < 0 && board.clock().millis() >= 3000) {
                    seenAt[0] = board.clock().millis();
                    hold.set(true);
                }
            }

            @Override
            public long nextDueMillis() {
                return seenAt[0] < 0 ? 3000 : Long.MAX_VALUE;
            }

            @Override
            public boolean holdsTime() {
                return hold.get();
            }
        });
        runner.setSpeed(1000);
        runner.start();
        await("the listener to hold", hold::get);
        Thread.sleep(30);
        assertThat(seenAt[0]).isEqualTo(3000);
        assertThat(board.clock().millis()).isEqualTo(3000);
        hold.set(false);
        await("time to move on", () -> board.clock().millis() > 3000);
    }

    @Test
    void reactionInBoardTimeDoesNotDependOnSpeed() throws InterruptedException {
        for (double speed : new double[] {1, 500}) {
            Rig r = new Rig();
            try (SimulationRunner run = new SimulationRunner(r.board, speed); MiniLoop l = new MiniLoop(r.board)) {
                r.board.plugIn(EvProfile.standard(), CableRating.A32);
                AtomicBoolean injected = new AtomicBoolean();
                run.addTickListener(new TickListener() {
                    @Override
                    public void onTick() {
                        if (!injected.get() && r.board.clock().millis() >= 2000) {
                            injected.set(true);
                            r.board.inject(SimFault.RCD_AC_30MA);
                        }
                    }

                    @Override
                    public long nextDueMillis() {
                        return injected.get() ? Long.MAX_VALUE : 2000;
                    }
                });
                run.start();
                await("the contactor to open after the trip", () -> injected.get() && !r.board.contactor().commandedClosed());
                SimEvent fault = r.events.stream().filter(e -> e.kind() == SimEvent.Kind.FAULT_INJECTED).findFirst().orElseThrow();
                SimEvent open = r.events.stream()
                        .filter(e -> e.kind() == SimEvent.Kind.CONTACTOR_COMMANDED && e.detail().equals("open"))
                        .findFirst().orElseThrow();
                assertThat(fault.boardMillis()).as("speed %s", speed).isEqualTo(2000);
                assertThat(open.boardMillis() - fault.boardMillis()).as("reaction at speed %s", speed).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aLoopWithAWallTimePeriodKeepsItsWatchdogAtHighSpeed() throws InterruptedException {
        loop = new MiniLoop(board);
        runner.setSpeed(2000);
        runner.start();
        await("30 s of board time", () -> board.clock().millis() >= 30_000);
        assertThat(board.watchdog().expired()).isFalse();
    }

    @Test
    void aStuckLoopLetsTheWatchdogExpire() throws InterruptedException {
        board.watchdog().arm(Duration.ofMillis(500));
        runner.setSpeed(100);
        runner.start();
        await("the watchdog expiry event", () -> rig.kinds().contains(SimEvent.Kind.WATCHDOG_EXPIRED));
        assertThat(board.watchdog().expired()).isTrue();
        SimEvent e = rig.events.stream().filter(x -> x.kind() == SimEvent.Kind.WATCHDOG_EXPIRED).findFirst().orElseThrow();
        assertThat(e.boardMillis()).isEqualTo(500);
    }

    @Test
    void refusesSpeedsOutOfRange() {
        assertThatThrownBy(() -> runner.setSpeed(0)).hasMessageContaining("speed 0.0");
        assertThatThrownBy(() -> runner.setSpeed(-1)).hasMessageContaining("outside");
        assertThatThrownBy(() -> runner.setSpeed(Double.NaN)).hasMessageContaining("outside");
        runner.start();
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class);
    }
}
