package org.voltkeep.hal.sim;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;

/** A board with its clock and an event log, plus the few moves a charger controller makes. */
final class Rig {
    final SimClock clock = new SimClock();
    final SimulatedBoard board = new SimulatedBoard(clock, Current.ofAmps(32));
    final List<SimEvent> events = new CopyOnWriteArrayList<>();

    Rig() {
        board.addSimListener(events::add);
    }

    void step(long millis) {
        board.step(Duration.ofMillis(millis));
    }

    void offer(int amps) {
        board.controlPilot().setDuty(PwmDuty.forCurrent(Current.ofAmps(amps)));
    }

    /** Plugs the EV in, offers the current, waits for C and closes the contactor until the feedback follows. */
    void charge(EvProfile ev, int offerAmps) {
        board.plugIn(ev, CableRating.A32);
        offer(offerAmps);
        step(ev.reactionMillis());
        board.contactor().command(true);
        step(SimulatedBoard.CONTACTOR_TRAVEL_MILLIS);
    }

    /** What a car reads from the duty a controller sets for {@code amps} (the duty has permille steps). */
    static int offeredMilliamps(int amps) {
        return PwmDuty.forCurrent(Current.ofAmps(amps)).offeredCurrent().milliamps();
    }

    List<SimEvent.Kind> kinds() {
        return events.stream().map(SimEvent::kind).toList();
    }

    static EvProfile bigBattery(int maxAmps, int phases) {
        return new EvProfile("big", maxAmps * 1000, phases, 100_000, 10, 90, true, false, 500);
    }
}
