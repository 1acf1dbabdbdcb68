package org.voltkeep.update;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The launcher's slots as it reports them.
 *
 * @param booted  the slot this boot runs
 * @param primary the slot that boots next time
 * @param floor   the anti-rollback floor (lowest security version accepted)
 * @param trial   the slot on trial and its boot attempts left, empty when none
 * @param slots   each slot's state and image
 */
public record BootSlots(String booted, String primary, long floor, Optional<Trial> trial, List<Slot> slots) {
    public BootSlots {
        Objects.requireNonNull(booted, "booted");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(trial, "trial");
        slots = List.copyOf(slots);
    }

    /** A slot booting on trial. */
    public record Trial(String slot, int attemptsLeft) {
        public Trial {
            Objects.requireNonNull(slot, "slot");
        }
    }

    /** The launcher's verdict on a slot. */
    public enum SlotState {
        good, bad, trial, empty
    }

    /**
     * One slot.
     *
     * @param why the launcher's words for the state (why a slot is bad), "" when none
     */
    public record Slot(String slot, SlotState state, String version, long securityVersion, String manifestSha256, String why) {
        public Slot {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(state, "state");
            version = version == null ? "" : version;
            manifestSha256 = manifestSha256 == null ? "" : manifestSha256;
            why = why == null ? "" : why;
        }
    }

    public Optional<Slot> slot(String name) {
        return slots.stream().filter(s -> s.slot().equals(name)).findFirst();
    }
}
