package org.voltkeep.launcher;

import java.util.Optional;

import org.voltkeep.image.ImageRejected;

/** A slot that must not boot, with the precise reason (and the image check that failed, if one did). */
class SlotRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ImageRejected imageRejected;
    private final boolean imageAtFault;

    SlotRejectedException(String slot, String reason) {
        this(slot, reason, false);
    }

    /** @param imageAtFault the slot's file itself is at fault (missing), not the device's means to check it */
    SlotRejectedException(String slot, String reason, boolean imageAtFault) {
        super("slot " + slot + " rejected: " + reason);
        this.imageRejected = null;
        this.imageAtFault = imageAtFault;
    }

    SlotRejectedException(String slot, ImageRejected cause) {
        super("slot " + slot + " rejected: " + cause.getMessage(), cause);
        this.imageRejected = cause;
        this.imageAtFault = cause.reason() != ImageRejected.Reason.IO_ERROR;
    }

    /** No slot could boot: {@code message} lists each slot and why. */
    SlotRejectedException(String message) {
        super(message);
        this.imageRejected = null;
        this.imageAtFault = false;
    }

    Optional<ImageRejected> imageRejected() {
        return Optional.ofNullable(imageRejected);
    }

    /**
     * Whether the image itself is at fault (so the slot is marked bad), rather than the
     * device's means to check it (an unreadable file, a root of trust that did not open),
     * which may work at the next boot.
     */
    boolean imageAtFault() {
        return imageAtFault;
    }
}
