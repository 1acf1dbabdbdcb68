package org.voltkeep.sessions.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.sessions.SessionRecord;

/**
 * Turns the stream of statuses into session records, without touching files:
 * each status yields the {@link Action}s to carry out, in order. Not thread-safe;
 * the recorder calls it under its lock.
 */
final class SessionTracker {
    /** The running session is saved at most this often for value changes (energy, peak current). */
    static final long SAVE_THROTTLE_MILLIS = 1000;

    /** What the recorder must write, in order. */
    sealed interface Action permits Append, SaveOpen, DeleteOpen {
    }

    /** Append one ended session to the record file (durably). */
    record Append(SessionRecord record) implements Action {
    }

    /** Replace the saved running session. */
    record SaveOpen(OpenSession session) implements Action {
    }

    /** No session runs: remove the saved one. */
    record DeleteOpen() implements Action {
    }

    private final LongSupplier monotonicMillis;
    private OpenSession recovered;
    private final SessionRecord lastRecorded;
    private OpenSession open;
    /** A saved running session may exist on disk. */
    private boolean saved;
    /** The running session changed since it was last saved. */
    private boolean dirty;
    private long lastSaveMillis;

    /**
     * @param recovered       the running session saved by an earlier instance, if any
     * @param savedFileExists whether a saved-session file exists (even an unreadable one)
     * @param lastRecorded    the newest ended session already in the record file
     * @param monotonicMillis time for the save throttle, not board time
     */
    SessionTracker(Optional<OpenSession> recovered, boolean savedFileExists, Optional<SessionRecord> lastRecorded,
            LongSupplier monotonicMillis) {
        this.recovered = recovered.orElse(null);
        this.saved = savedFileExists || recovered.isPresent();
        this.lastRecorded = lastRecorded.orElse(null);
        this.monotonicMillis = monotonicMillis;
    }

    /** The running session: after a restart, the recovered one until the first status says otherwise. */
    Optional<OpenSession> open() {
        return Optional.ofNullable(open != null ? open : recovered);
    }

    List<Action> onStatus(ChargerStatus s) {
        List<Action> actions = new ArrayList<>();
        if (recovered != null) {
            reattach(s, actions);
        }
        if (open != null && !open.sameSession(s)) {
            actions.add(new Append(open.ended(s.boardMillis(), endReason(open, s))));
            open = null;
        }
        if (s.sessionId() != 0) {
            if (open == null) {
                open = OpenSession.start(s);
                save(actions);
            } else {
                OpenSession before = open;
                open = open.merge(s);
                if (open.differsMateriallyFrom(before)) {
                    save(actions);
                } else {
                    dirty |= open.differsInValuesFrom(before);
                    if (dirty && monotonicMillis.getAsLong() - lastSaveMillis >= SAVE_THROTTLE_MILLIS) {
                        save(actions);
                    }
                }
            }
        }
        if (open == null && saved) {
            actions.add(new DeleteOpen());
            saved = false;
        }
        return actions;
    }

    /** On shutdown: save what the throttle held back, so a restart continues from it. */
    List<Action> flush() {
        List<Action> actions = new ArrayList<>();
        if (open != null && dirty) {
            save(actions);
        }
        return actions;
    }

    private void reattach(ChargerStatus s, List<Action> actions) {
        OpenSession r = recovered;
        recovered = null;
        if (lastRecorded != null && lastRecorded.sessionId() == r.sessionId()
                && lastRecorded.startBoardMillis() == r.startBoardMillis()) {
            // the record was appended, the instance died before it removed the saved session
            return;
        }
        if (r.sameSession(s)) {
            open = r;
            return;
        }
        actions.add(new Append(r.ended(r.lastBoardMillis(), SessionRecord.UNOBSERVED)));
    }

    private void save(List<Action> actions) {
        actions.add(new SaveOpen(open));
        saved = true;
        dirty = false;
        lastSaveMillis = monotonicMillis.getAsLong();
    }

    private static String endReason(OpenSession o, ChargerStatus end) {
        if (!o.stopCause().isEmpty()) {
            return o.stopCause();
        }
        if (end.state() == ChargerState.A || o.lastState().equals(ChargerState.A.name())) {
            return SessionRecord.EV_DISCONNECTED;
        }
        if (end.sessionId() != 0) {
            return SessionRecord.SESSION_REPLACED;
        }
        return SessionRecord.OTHER;
    }
}
