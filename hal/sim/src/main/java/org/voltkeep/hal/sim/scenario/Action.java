package org.voltkeep.hal.sim.scenario;

import java.util.Objects;
import java.util.Optional;

import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimFault;

/**
 * What a timeline entry does. {@link Physical} actions are applied to the board by
 * the player itself; {@link Cue}s are operator or system actions the player hands
 * to its {@link CueListener}, holding board time until they were carried out.
 */
public sealed interface Action {

    /** The name the entry uses in its {@code "do"} key. */
    String verb();

    sealed interface Physical extends Action {
    }

    sealed interface Cue extends Action {
    }

    /** Plugs a vehicle in; empty overrides mean the scenario's own EV and cable. */
    record Plug(Optional<EvProfile> ev, Optional<CableRating> cable) implements Physical {
        public Plug {
            Objects.requireNonNull(ev, "ev");
            Objects.requireNonNull(cable, "cable");
        }

        @Override
        public String verb() {
            return "plug";
        }
    }

    record Unplug() implements Physical {
        @Override
        public String verb() {
            return "unplug";
        }
    }

    record EvPause() implements Physical {
        @Override
        public String verb() {
            return "ev-pause";
        }
    }

    record EvResume() implements Physical {
        @Override
        public String verb() {
            return "ev-resume";
        }
    }

    record InjectFault(SimFault fault) implements Physical {
        public InjectFault {
            Objects.requireNonNull(fault, "fault");
        }

        @Override
        public String verb() {
            return "fault";
        }
    }

    record ClearFault(SimFault fault) implements Physical {
        public ClearFault {
            Objects.requireNonNull(fault, "fault");
        }

        @Override
        public String verb() {
            return "clear-fault";
        }
    }

    /** Sets the ambient temperature. */
    record SetTemperature(Temperature ambient) implements Physical {
        public SetTemperature {
            Objects.requireNonNull(ambient, "ambient");
        }

        @Override
        public String verb() {
            return "temperature";
        }
    }

    record Authorize(String idTag) implements Cue {
        public Authorize {
            Objects.requireNonNull(idTag, "idTag");
        }

        @Override
        public String verb() {
            return "authorize";
        }
    }

    record Stop(StopReason reason) implements Cue {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String verb() {
            return "stop";
        }
    }

    /** A remote current limit; {@link LimitRequest} has already checked its ranges. */
    record Limit(LimitRequest request) implements Cue {
        public Limit {
            Objects.requireNonNull(request, "request");
        }

        @Override
        public String verb() {
            return "limit";
        }
    }

    record ClearLimit(String claimId) implements Cue {
        public ClearLimit {
            Objects.requireNonNull(claimId, "claimId");
        }

        @Override
        public String verb() {
            return "clear-limit";
        }
    }

    record ResetFaults() implements Cue {
        @Override
        public String verb() {
            return "reset-faults";
        }
    }

    /** The application domain process dies (its link connection closes and stays silent). */
    record KillApp() implements Cue {
        @Override
        public String verb() {
            return "kill-app";
        }
    }

    /** The link stops carrying keep-alives while the connection stays open. */
    record SilenceLink() implements Cue {
        @Override
        public String verb() {
            return "silence-link";
        }
    }

    record RestoreLink() implements Cue {
        @Override
        public String verb() {
            return "restore-link";
        }
    }

    /**
     * Simulated time waits until the application domain is back on the link (after a
     * kill-app, its supervisor restarts it): how long a restart takes in wall time must
     * not decide what a scenario sees.
     */
    record AwaitApp() implements Cue {
        @Override
        public String verb() {
            return "await-app";
        }
    }
}
