package org.voltkeep.sessions.internal;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.Fault;
import org.voltkeep.sessions.SessionRecord;

/**
 * The running session as the recorder keeps it (and saves it, so that a restarted
 * application domain can continue it).
 *
 * @param lastBoardMillis board time of the latest status of this session
 * @param lastState       IEC 61851 state of the latest status
 * @param stopCause       what ended energy delivery since it last flowed
 *                        ({@link SessionRecord#FAULT}, {@link SessionRecord#STOP_REQUESTED}), empty while
 *                        it flows or nothing stopped it yet
 */
record OpenSession(
        long sessionId,
        long startBoardMillis,
        long lastBoardMillis,
        long energyWh,
        int peakCurrentMilliamps,
        String idTag,
        Set<String> faults,
        String lastState,
        String stopCause) {

    OpenSession {
        if (sessionId == 0) {
            throw new IllegalArgumentException("session id 0 means no session");
        }
        Objects.requireNonNull(idTag, "idTag");
        Objects.requireNonNull(lastState, "lastState");
        Objects.requireNonNull(stopCause, "stopCause");
        faults = Set.copyOf(faults);
    }

    /** A session from the first status that names it. */
    static OpenSession start(ChargerStatus s) {
        long start = s.sessionStartMillis() != 0 ? s.sessionStartMillis() : s.boardMillis();
        return new OpenSession(s.sessionId(), start, s.boardMillis(), 0, 0, "", Set.of(), s.state().name(), "")
                .merge(s);
    }

    /** Whether the status belongs to this session (safety may reuse ids after its own restart). */
    boolean sameSession(ChargerStatus s) {
        return s.sessionId() == sessionId && (s.sessionStartMillis() == 0 || s.sessionStartMillis() == startBoardMillis);
    }

    /**
     * This session updated with one of its statuses. Energy and peak current never go
     * down: a record must not report less than was already seen. The id tag is the
     * latest one safety reported for the session; a status without one (before
     * authorization, or after safety cleared it) keeps the tag already seen.
     */
    OpenSession merge(ChargerStatus s) {
        Set<String> allFaults = new TreeSet<>(faults);
        for (Fault f : s.activeFaults()) {
            allFaults.add(f.name());
        }
        String cause = stopCause;
        if (s.charging()) {
            cause = "";
        } else if (cause.isEmpty() && !s.activeFaults().isEmpty()) {
            cause = SessionRecord.FAULT;
        } else if (cause.isEmpty() && s.stopRequested()) {
            cause = SessionRecord.STOP_REQUESTED;
        }
        return new OpenSession(sessionId, startBoardMillis, Math.max(lastBoardMillis, s.boardMillis()),
                Math.max(energyWh, s.sessionEnergyWh()), Math.max(peakCurrentMilliamps, s.currentMilliamps()),
                s.idTag().isEmpty() ? idTag : s.idTag(), allFaults, s.state().name(), cause);
    }

    /**
     * Differences that are saved at once: everything but the meter-like values, and a
     * peak current that rose by a whole amp (a peak only ever rises a few times per
     * session, and no later status can give back one a crash lost).
     */
    boolean differsMateriallyFrom(OpenSession o) {
        return !lastState.equals(o.lastState) || !faults.equals(o.faults) || !stopCause.equals(o.stopCause)
                || !idTag.equals(o.idTag)
                || peakCurrentMilliamps - o.peakCurrentMilliamps >= PEAK_STEP_MILLIAMPS;
    }

    static final int PEAK_STEP_MILLIAMPS = 1000;

    /** Differences saved at most once per throttle period. */
    boolean differsInValuesFrom(OpenSession o) {
        return energyWh != o.energyWh || peakCurrentMilliamps != o.peakCurrentMilliamps;
    }

    SessionRecord ended(long endBoardMillis, String reason) {
        if (reason.isEmpty()) {
            throw new IllegalArgumentException("an ended session needs a reason");
        }
        return new SessionRecord(sessionId, startBoardMillis, endBoardMillis, energyWh, peakCurrentMilliamps, idTag, reason, faults);
    }

    SessionRecord running() {
        return new SessionRecord(sessionId, startBoardMillis, lastBoardMillis, energyWh, peakCurrentMilliamps, idTag, "", faults);
    }
}
