package org.voltkeep.launcher;

import java.util.Optional;

import org.voltkeep.image.ImageRejected;

/** A slot that must not boot, with the precise reason (and the image check that failed, if one did). */
class SlotRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ImageRejected imageRejected;

    SlotRejectedException(String slot, String reason) {
        super("slot " + slot + " rejected: " + reason);
        this.imageRejected = null;
    }

    SlotRejectedException(String slot, ImageRejected cause) {
        super("slot " + slot + " rejected: " + cause.getMessage(), cause);
        this.imageRejected = cause;
    }

    Optional<ImageRejected> imageRejected() {
        return Optional.ofNullable(imageRejected);
    }
}
