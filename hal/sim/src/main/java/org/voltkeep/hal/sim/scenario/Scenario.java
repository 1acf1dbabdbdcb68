package org.voltkeep.hal.sim.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.json.Json;

/**
 * A scripted run of the simulated board, as read by {@link ScenarioParser}.
 *
 * @param name        short identifier
 * @param description what the scenario shows
 * @param ev          the vehicle a {@code plug} action connects unless it names another
 * @param cable       the cable a {@code plug} action connects unless it names another
 * @param ambient     ambient temperature applied when play starts
 * @param endAfter    the scenario ends at the latest this long after play started
 * @param settle      the scenario ends this long after its last timeline entry fired
 * @param timeline    entries in the order they fire
 * @param expect      what a correct safety controller must show
 */
public record Scenario(String name, String description, EvProfile ev, CableRating cable, Temperature ambient,
                       Duration endAfter, Duration settle, List<Entry> timeline, Expectations expect) {

    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(ev, "ev");
        Objects.requireNonNull(cable, "cable");
        Objects.requireNonNull(ambient, "ambient");
        Objects.requireNonNull(endAfter, "endAfter");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(expect, "expect");
        timeline = List.copyOf(timeline);
    }

    /**
     * One timeline entry.
     *
     * @param index   position in the timeline, from 0
     * @param trigger when it fires
     * @param action  what it does
     * @param json    the entry as written, compact, for cue events
     */
    public record Entry(int index, Trigger trigger, Action action, String json) {
        public Entry {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(json, "json");
        }

        /** A fresh copy of the entry as written. */
        public Json.Obj toJson() {
            return Json.parseObject(json);
        }
    }

    /** When an entry fires, once the entry before it has fired. */
    public sealed interface Trigger {
    }

    /** At a board time since play started (or at once when that time has passed). */
    public record At(Duration at) implements Trigger {
        public At {
            if (at.isNegative()) {
                throw new IllegalArgumentException("'at' " + at + " is negative");
            }
        }
    }

    /** A delay after the board first shows a condition (on or after the entry before it fired). */
    public record When(Condition condition, Duration delay) implements Trigger {
        public When {
            Objects.requireNonNull(condition, "condition");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("'delay' " + delay + " is negative");
            }
        }
    }

    /** Board conditions a {@link When} trigger waits for. */
    public enum Condition {
        /** The contactor's auxiliary contact reads closed. */
        CHARGING_STARTED("charging-started"),
        /** The vehicle reached its target state of charge. */
        EV_FULL("ev-full"),
        /** The contactor's auxiliary contact reads open. */
        CONTACTOR_OPEN("contactor-open"),
        /** No vehicle is plugged in. */
        UNPLUGGED("unplugged");

        private final String wire;

        Condition(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Condition fromWire(String s) {
            for (Condition c : values()) {
                if (c.wire.equals(s)) {
                    return c;
                }
            }
            return null;
        }
    }
}
