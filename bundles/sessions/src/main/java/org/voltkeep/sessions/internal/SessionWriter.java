package org.voltkeep.sessions.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.sessions.SessionRecord;

/**
 * Carries out the tracker's actions on the store, on the recorder's I/O thread
 * only. A record that cannot be appended (disk full) is kept and tried again
 * before the next one, so records stay in order and none is dropped while the
 * domain runs.
 */
final class SessionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionWriter.class);

    private final SessionStore store;
    private final Deque<SessionRecord> unwritten = new ArrayDeque<>();

    SessionWriter(SessionStore store) {
        this.store = store;
    }

    void apply(List<SessionTracker.Action> actions) {
        for (SessionTracker.Action a : actions) {
            try {
                if (a instanceof SessionTracker.Append ap) {
                    append(ap.record());
                } else if (a instanceof SessionTracker.SaveOpen so) {
                    store.saveOpen(so.session());
                } else if (a instanceof SessionTracker.DeleteOpen) {
                    deleteOpen();
                } else {
                    throw new IllegalStateException("unknown action " + a);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("session file update failed ({}): {}", a.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private void append(SessionRecord r) throws IOException {
        unwritten.addLast(r);
        while (!unwritten.isEmpty()) {
            SessionRecord next = unwritten.peekFirst();
            store.append(next);
            unwritten.removeFirst();
            LOG.info("session {} recorded: {} Wh, peak {} mA, ended {}", next.sessionId(), next.energyWh(),
                    next.peakCurrentMilliamps(), next.endReason());
        }
    }

    private void deleteOpen() throws IOException {
        if (!unwritten.isEmpty()) {
            // the saved session is the only durable copy of a record not yet appended
            LOG.warn("keeping the saved running session: {} ended session(s) still wait to be written", unwritten.size());
            return;
        }
        store.deleteOpen();
    }
}
