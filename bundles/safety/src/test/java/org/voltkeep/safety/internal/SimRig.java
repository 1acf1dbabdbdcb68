package org.voltkeep.safety.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;

/**
 * A safety controller on a simulated board, stepped deterministically: the board
 * moves by one step, then the controller runs one cycle, as the real loop would see it.
 */
final class SimRig {
    static final long STEP_MILLIS = 10;

    final SimClock clock = new SimClock();
    final SimulatedBoard board;
    final ManualLinkClock wall = new ManualLinkClock();
    final SafetyConfig cfg;
    final SafetyController ctl;
    final List<ChargerStatus> published = new CopyOnWriteArrayList<>();

    SimRig(SafetyConfig cfg) {
        this(cfg, Current.ofAmps(32));
    }

    SimRig(SafetyConfig cfg, Current hardwareRating) {
        this.cfg = cfg;
        this.board = new SimulatedBoard(clock, hardwareRating);
        this.ctl = new SafetyController(board, cfg, wall);
        ctl.addStatusListener(published::add);
    }

    long now() {
        return clock.millis();
    }

    ChargerStatus status() {
        return ctl.status();
    }

    ChargerStatus cycle() {
        ctl.cycleOnce();
        return ctl.status();
    }

    /** Steps the board and cycles for {@code millis} of board time. */
    ChargerStatus run(long millis) {
        return run(millis, STEP_MILLIS);
    }

    ChargerStatus run(long millis, long stepMillis) {
        long end = now() + millis;
        while (now() < end) {
            board.step(Duration.ofMillis(Math.min(stepMillis, end - now())));
            ctl.cycleOnce();
        }
        return ctl.status();
    }

    /**
     * Steps and cycles until the status matches; returns the board ms it took.
     *
     * @throws AssertionError when it does not happen within {@code maxMillis}
     */
    long runUntil(Predicate<ChargerStatus> p, long maxMillis) {
        return runUntil(p, maxMillis, STEP_MILLIS);
    }

    long runUntil(Predicate<ChargerStatus> p, long maxMillis, long stepMillis) {
        long start = now();
        while (!p.test(ctl.status())) {
            if (now() - start > maxMillis) {
                throw new AssertionError("not reached within " + maxMillis + " board ms; last status " + ctl.status()
                        + " on " + board);
            }
            board.step(Duration.ofMillis(stepMillis));
            ctl.cycleOnce();
        }
        return now() - start;
    }

    /** Plugs the standard EV, authorizes it and runs until current flows. */
    ChargerStatus charging(EvProfile ev) {
        cycle();
        board.plugIn(ev, CableRating.A32);
        cycle();
        ctl.authorize("tag-1");
        runUntil(s -> s.charging() && s.contactorFeedback() && s.currentMilliamps() > 0, 10_000);
        return ctl.status();
    }
}
