package org.voltkeep.sessions;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.json.Json;

/**
 * One charging session from plug-in to its end, as the application domain saw it.
 *
 * @param sessionId            safety's id of the session (never 0)
 * @param startBoardMillis     board time the session started
 * @param endBoardMillis       board time the session ended; for a running session
 *                             ({@link SessionLog#open()}) the board time of the latest status
 * @param energyWh             energy delivered in the session
 * @param peakCurrentMilliamps largest phase current seen during the session
 * @param idTag                the id tag that authorized the session, empty when unknown
 * @param endReason            why the session ended (see {@link #REASONS}); empty while it runs
 * @param faults               names of every fault seen during the session
 */
public record SessionRecord(
        long sessionId,
        long startBoardMillis,
        long endBoardMillis,
        long energyWh,
        int peakCurrentMilliamps,
        String idTag,
        String endReason,
        Set<String> faults) {

    /** The vehicle was unplugged (pilot back at state A). */
    public static final String EV_DISCONNECTED = "EV_DISCONNECTED";
    /** A stop was requested (local, remote or fallback) and energy delivery ended with it. */
    public static final String STOP_REQUESTED = "STOP_REQUESTED";
    /** A fault ended energy delivery. */
    public static final String FAULT = "FAULT";
    /** Safety reported a different session without ending this one first (for example after its restart). */
    public static final String SESSION_REPLACED = "SESSION_REPLACED";
    /** The session ended while the application domain was not running; the end time is the last one seen. */
    public static final String UNOBSERVED = "UNOBSERVED";
    /** None of the above could be told from the status. */
    public static final String OTHER = "OTHER";
    /** Every end reason a record of this version may carry. */
    public static final Set<String> REASONS = Set.of(EV_DISCONNECTED, STOP_REQUESTED, FAULT, SESSION_REPLACED, UNOBSERVED, OTHER);

    public SessionRecord {
        if (sessionId == 0) {
            throw new IllegalArgumentException("session id 0 means no session");
        }
        if (energyWh < 0) {
            throw new IllegalArgumentException("session " + sessionId + ": energy " + energyWh + " Wh is negative");
        }
        if (peakCurrentMilliamps < 0) {
            throw new IllegalArgumentException("session " + sessionId + ": peak current " + peakCurrentMilliamps + " mA is negative");
        }
        Objects.requireNonNull(idTag, "idTag");
        Objects.requireNonNull(endReason, "endReason");
        faults = Set.copyOf(faults);
    }

    public boolean ended() {
        return !endReason.isEmpty();
    }

    public long durationMillis() {
        return Math.max(0, endBoardMillis - startBoardMillis);
    }

    /** The record's fields as JSON, one form for the record file and the control socket. */
    public Json.Obj toJson() {
        Json.Arr f = Json.array();
        new TreeSet<>(faults).forEach(f::add);
        return Json.object()
                .put("sessionId", sessionId)
                .put("startBoardMillis", startBoardMillis)
                .put("endBoardMillis", endBoardMillis)
                .put("energyWh", energyWh)
                .put("peakCurrentMilliamps", peakCurrentMilliamps)
                .put("idTag", idTag)
                .put("endReason", endReason)
                .put("faults", f);
    }
}
