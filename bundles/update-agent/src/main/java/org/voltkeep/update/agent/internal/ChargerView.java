package org.voltkeep.update.agent.internal;

import java.util.Optional;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;

/** What the update agent needs to know about the charger, from safety's status. */
final class ChargerView {
    private ChargerView() {
    }

    /** No vehicle connected and no session: a new slot may be activated without disturbing anyone. */
    static boolean idle(ChargerStatus s) {
        return s.state() == ChargerState.A && s.sessionId() == 0;
    }

    /** No session and the contactor open: what the recovery image's safety hold reports at all times. */
    static boolean heldOpen(ChargerStatus s) {
        return s.sessionId() == 0 && contactorOpen(s);
    }

    /** Safety reports the contactor open, both as commanded and as its auxiliary contact says. */
    static boolean contactorOpen(ChargerStatus s) {
        return !s.contactorCommanded() && !s.contactorFeedback();
    }

    /** Why the charger is not idle, in words for the status. */
    static String busy(Optional<ChargerStatus> status, String link) {
        if (status.isEmpty()) {
            return "no status from safety (link " + link + "): a session may be running; waiting";
        }
        ChargerStatus s = status.get();
        if (s.sessionId() != 0) {
            return "session " + s.sessionId() + " running: activates when the car is unplugged";
        }
        return "vehicle connected (state " + s.state() + "): activates when it is unplugged";
    }
}
