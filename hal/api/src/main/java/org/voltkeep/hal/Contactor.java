package org.voltkeep.hal;

/**
 * The main contactor and its auxiliary (mirror) contact.
 * Invariant: only the safety domain commands it; commanding closed while the
 * safety rules forbid energizing is a defect the safety controller guards against
 * in its output stage.
 */
public interface Contactor {
    void command(boolean closed);

    boolean commandedClosed();

    /** The auxiliary contact: true when the main contacts are actually closed. */
    boolean feedbackClosed();
}
