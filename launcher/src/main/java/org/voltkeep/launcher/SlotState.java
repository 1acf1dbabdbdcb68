package org.voltkeep.launcher;

/** What the boot state says about one slot. */
enum SlotState {
    /** Committed: passed its trial (or was installed at device creation); may boot. */
    GOOD,
    /** Must not boot: failed verification, its health check, or its trial; {@code why} says which. */
    BAD,
    /** Installed and verified, waiting for activation or booting on trial; never booted outside a trial. */
    TRIAL,
    /** Holds no image that may boot. */
    EMPTY;

    String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static SlotState parse(String id) {
        for (SlotState s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("slot state '" + id + "' is not one of good, bad, trial, empty");
    }
}
