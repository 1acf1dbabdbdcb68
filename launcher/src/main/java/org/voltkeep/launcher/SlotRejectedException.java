package org.voltkeep.launcher;

/** A slot that must not boot, with the precise reason. */
class SlotRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    SlotRejectedException(String slot, String reason) {
        super("slot " + slot + " rejected: " + reason);
    }
}
