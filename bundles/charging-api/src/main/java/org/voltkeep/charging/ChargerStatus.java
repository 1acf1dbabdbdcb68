package org.voltkeep.charging;

import java.util.Set;

/**
 * One snapshot of the charging point as the safety controller sees it.
 *
 * @param boardMillis          board time of the snapshot (simulated time on the simulated board)
 * @param state                IEC 61851-1 state
 * @param pwmPermille          pilot duty in tenths of a percent (1000 = static +12 V, 0 = -12 V)
 * @param contactorCommanded   the contactor command
 * @param contactorFeedback    the auxiliary contact
 * @param authorized           the current session is authorized
 * @param idTag                the id tag that authorized the current session, "" when not authorized
 * @param sessionId            safety's id of the running session, 0 when none
 * @param sessionStartMillis   board time the session started (plug-in), 0 when none
 * @param sessionEnergyWh      energy delivered in this session
 * @param meterEnergyWh        the meter's import register
 * @param currentMilliamps     largest phase current now
 * @param powerWatts           total active power now
 * @param limitMilliamps       the effective current limit after arbitration
 * @param limitSource          which constraint set the limit
 * @param cableMilliamps       cable rating from the proximity pilot, 0 when none
 * @param temperatureDeciC     hottest temperature, tenths of °C
 * @param activeFaults         faults currently latched or present
 * @param link                 how safety hears the application domain
 * @param fallback             the configured fallback when the link is silent
 * @param stopRequested        a stop was requested for the running session
 * @param selfTestPassed       the start-up self-test passed
 */
public record ChargerStatus(
        long boardMillis,
        ChargerState state,
        int pwmPermille,
        boolean contactorCommanded,
        boolean contactorFeedback,
        boolean authorized,
        String idTag,
        long sessionId,
        long sessionStartMillis,
        long sessionEnergyWh,
        long meterEnergyWh,
        int currentMilliamps,
        int powerWatts,
        int limitMilliamps,
        LimitSource limitSource,
        int cableMilliamps,
        int temperatureDeciC,
        Set<Fault> activeFaults,
        LinkState link,
        FallbackMode fallback,
        boolean stopRequested,
        boolean selfTestPassed) {

    public ChargerStatus {
        idTag = idTag == null ? "" : idTag;
        activeFaults = Set.copyOf(activeFaults);
    }

    public boolean charging() {
        return contactorCommanded && (state == ChargerState.C2 || state == ChargerState.D2);
    }
}
