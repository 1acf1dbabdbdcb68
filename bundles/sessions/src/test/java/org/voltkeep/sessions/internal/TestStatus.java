package org.voltkeep.sessions.internal;

import java.util.EnumSet;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;

/** Builds statuses for tests: only what a test sets differs from an idle charger. */
final class TestStatus {
    long boardMillis = 1_000;
    ChargerState state = ChargerState.A;
    boolean contactor;
    long sessionId;
    long sessionStartMillis;
    long sessionEnergyWh;
    int currentMilliamps;
    Set<Fault> faults = EnumSet.noneOf(Fault.class);
    boolean stopRequested;
    String idTag = "";

    static TestStatus idle(long boardMillis) {
        TestStatus t = new TestStatus();
        t.boardMillis = boardMillis;
        return t;
    }

    /** A session that is charging. */
    static TestStatus charging(long sessionId, long startMillis, long boardMillis, long energyWh, int milliamps) {
        TestStatus t = idle(boardMillis);
        t.state = ChargerState.C2;
        t.contactor = true;
        t.sessionId = sessionId;
        t.sessionStartMillis = startMillis;
        t.sessionEnergyWh = energyWh;
        t.currentMilliamps = milliamps;
        return t;
    }

    /** The same session, plugged in but not charging. */
    static TestStatus connected(long sessionId, long startMillis, long boardMillis, long energyWh) {
        TestStatus t = charging(sessionId, startMillis, boardMillis, energyWh, 0);
        t.state = ChargerState.B1;
        t.contactor = false;
        return t;
    }

    TestStatus fault(Fault f) {
        faults.add(f);
        state = ChargerState.F;
        contactor = false;
        currentMilliamps = 0;
        return this;
    }

    TestStatus stopRequested() {
        stopRequested = true;
        return this;
    }

    TestStatus idTag(String tag) {
        idTag = tag;
        return this;
    }

    ChargerStatus build() {
        return new ChargerStatus(boardMillis, state, contactor ? 533 : 1000, contactor, contactor, sessionId != 0,
                idTag, sessionId, sessionStartMillis, sessionEnergyWh, 123_456 + sessionEnergyWh, currentMilliamps,
                currentMilliamps * 230 / 1000, 32_000, LimitSource.CABLE, 32_000, 250, faults, LinkState.UP,
                FallbackMode.SAFE_CURRENT, stopRequested, true);
    }
}
