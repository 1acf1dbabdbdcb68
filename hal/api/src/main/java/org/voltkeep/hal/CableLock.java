package org.voltkeep.hal;

/** The socket's cable lock actuator with its position feedback. */
public interface CableLock {
    void command(boolean locked);

    boolean feedbackLocked();
}
