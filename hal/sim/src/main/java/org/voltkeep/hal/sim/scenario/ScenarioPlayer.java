package org.voltkeep.hal.sim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.EvState;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimListener;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.TickListener;

/**
 * Plays a {@link Scenario} on a {@link SimulatedBoard}.
 *
 * <p>Rules: entries fire in the order written, each once the entry before it has
 * fired. An {@code at} entry fires at that board time after {@link #start()} (at
 * once if that time has passed); a {@code when} entry fires {@code delay} after the
 * board first shows its condition on or after the moment it was armed. Physical
 * actions are applied to the board; a cue holds board time ({@link #holdsTime()})
 * until {@link #resume()}. The scenario is finished {@code settle} after its last
 * entry fired, or at {@code endAfter} after the start, whichever comes first.
 *
 * <p>Drive it with {@link org.voltkeep.hal.sim.SimulationRunner#addTickListener}, or
 * by hand: {@code board.step(...)} then {@link #onTick()}.
 */
public final class ScenarioPlayer implements TickListener, SimListener {
    private static final Logger LOG = LoggerFactory.getLogger(ScenarioPlayer.class);
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final Scenario scenario;
    private final SimulatedBoard board;
    private final CueListener cues;

    // Guarded by `this`.
    private boolean started;
    private long startMillis;
    private int next;
    private long armedAt;
    private long dueAt = UNKNOWN;
    private long lastFiredAt;
    private Scenario.Entry heldBy;
    private boolean finished;
    private long finishedAt;
    private boolean contactsClosed;
    private boolean evFull;
    private boolean plugged;
    private final List<String> problems = new ArrayList<>();

    public ScenarioPlayer(Scenario scenario, SimulatedBoard board, CueListener cues) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.board = Objects.requireNonNull(board, "board");
        this.cues = Objects.requireNonNull(cues, "cues");
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Starts play at the board's current time: applies the ambient temperature and arms the first entry. */
    public void start() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("scenario '" + scenario.name() + "' already started");
            }
            started = true;
            startMillis = board.clock().millis();
            contactsClosed = board.contactor().feedbackClosed();
            EvState ev = board.ev();
            evFull = ev.full();
            plugged = ev.plugged();
            lastFiredAt = startMillis;
        }
        board.addSimListener(this);
        board.setAmbientTemperature(scenario.ambient());
        synchronized (this) {
            arm(startMillis);
        }
    }

    /** Detaches from the board; the player does nothing more. */
    public void close() {
        board.removeSimListener(this);
        synchronized (this) {
            finished = true;
        }
    }

    public synchronized long startMillis() {
        return startMillis;
    }

    public synchronized boolean finished() {
        return finished;
    }

    /** Board time the scenario finished at, or -1 while it runs. */
    public synchronized long finishedAtMillis() {
        return finished ? finishedAt : -1;
    }

    /** How many timeline entries have fired. */
    public synchronized int fired() {
        return next;
    }

    /** The cue that holds board time, if any. */
    public synchronized Optional<Scenario.Entry> pendingCue() {
        return Optional.ofNullable(heldBy);
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public synchronized boolean holdsTime() {
        return heldBy != null;
    }

    /** The cue was carried out: board time may move again and the next entry is armed. */
    public void resume() {
        synchronized (this) {
            if (heldBy == null) {
                return;
            }
            heldBy = null;
            arm(board.clock().millis());
        }
    }

    @Override
    public synchronized long nextDueMillis() {
        if (!started || finished || heldBy != null) {
            return Long.MAX_VALUE;
        }
        long end = endMillis();
        return Math.min(end, dueAt);
    }

    private long endMillis() {
        long end = startMillis + scenario.endAfter().toMillis();
        if (next >= scenario.timeline().size()) {
            end = Math.min(end, lastFiredAt + scenario.settle().toMillis());
        }
        return end;
    }

    @Override
    public void onTick() {
        while (true) {
            Scenario.Entry fire;
            long now = board.clock().millis();
            synchronized (this) {
                if (!started || finished || heldBy != null) {
                    return;
                }
                if (next < scenario.timeline().size() && dueAt != UNKNOWN && now >= dueAt) {
                    fire = scenario.timeline().get(next);
                    next++;
                    lastFiredAt = now;
                    dueAt = UNKNOWN;
                    if (fire.action() instanceof Action.Cue) {
                        heldBy = fire;
                    }
                } else if (now >= endMillis()) {
                    finished = true;
                    finishedAt = now;
                    fire = null;
                } else {
                    return;
                }
            }
            if (fire == null) {
                board.removeSimListener(this);
                LOG.info("scenario '{}' finished at {} ms", scenario.name(), now);
                cues.onFinished(this, now);
                return;
            }
            LOG.debug("scenario '{}' entry {} ({}) at {} ms", scenario.name(), fire.index(), fire.action().verb(), now);
            if (fire.action() instanceof Action.Cue) {
                cues.onCue(this, fire, now);
                return;
            }
            apply(fire);
            synchronized (this) {
                arm(now);
            }
        }
    }

    private void apply(Scenario.Entry entry) {
        try {
            Action a = entry.action();
            if (a instanceof Action.Plug p) {
                EvProfile ev = p.ev().orElse(scenario.ev());
                board.plugIn(ev, p.cable().orElse(scenario.cable()));
            } else if (a instanceof Action.Unplug) {
                board.unplug();
            } else if (a instanceof Action.EvPause) {
                board.evPause(true);
            } else if (a instanceof Action.EvResume) {
                board.evPause(false);
            } else if (a instanceof Action.InjectFault f) {
                board.inject(f.fault());
            } else if (a instanceof Action.ClearFault f) {
                board.clear(f.fault());
            } else if (a instanceof Action.SetTemperature t) {
                board.setAmbientTemperature(t.ambient());
            } else {
                throw new IllegalArgumentException("not a physical action: " + a);
            }
        } catch (IllegalStateException e) {
            String problem = "entry " + entry.index() + " (" + entry.action().verb() + "): " + e.getMessage();
            LOG.warn("scenario '{}': {}", scenario.name(), problem);
            synchronized (this) {
                problems.add(problem);
            }
            cues.onProblem(this, entry, problem);
        }
    }

    /** Arms the entry at {@code next}, at board time {@code now}. Holds the lock. */
    private void arm(long now) {
        armedAt = now;
        dueAt = UNKNOWN;
        if (next >= scenario.timeline().size()) {
            return;
        }
        Scenario.Entry e = scenario.timeline().get(next);
        if (e.trigger() instanceof Scenario.At at) {
            dueAt = Math.max(now, startMillis + at.at().toMillis());
        } else if (e.trigger() instanceof Scenario.When w && holds(w.condition())) {
            dueAt = now + w.delay().toMillis();
        }
    }

    private boolean holds(Scenario.Condition c) {
        return switch (c) {
            case CHARGING_STARTED -> contactsClosed;
            case CONTACTOR_OPEN -> !contactsClosed;
            case EV_FULL -> evFull;
            case UNPLUGGED -> !plugged;
        };
    }

    @Override
    public void onSimEvent(SimEvent e) {
        synchronized (this) {
            switch (e.kind()) {
                case CONTACTOR_FEEDBACK -> contactsClosed = "closed".equals(e.detail());
                case EV_FULL -> evFull = true;
                case PLUGGED -> {
                    plugged = true;
                    evFull = false;
                }
                case UNPLUGGED -> {
                    plugged = false;
                    evFull = false;
                }
                default -> {
                    return;
                }
            }
            if (!started || finished || heldBy != null || dueAt != UNKNOWN || next >= scenario.timeline().size()) {
                return;
            }
            if (scenario.timeline().get(next).trigger() instanceof Scenario.When w && holds(w.condition())) {
                dueAt = Math.max(armedAt, e.boardMillis()) + w.delay().toMillis();
            }
        }
    }
}
