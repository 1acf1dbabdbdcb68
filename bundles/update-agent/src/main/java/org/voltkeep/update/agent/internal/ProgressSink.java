package org.voltkeep.update.agent.internal;

/** Receives byte counts of a long step (download, copy, the launcher's install); must not block. */
@FunctionalInterface
interface ProgressSink {
    /** @param total -1 when not known */
    void progress(String phase, long done, long total);
}
