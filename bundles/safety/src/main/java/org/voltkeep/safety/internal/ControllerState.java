package org.voltkeep.safety.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CpState;

/**
 * What the controller remembers from one cycle to the next. Immutable: a cycle
 * builds the next one; the previous one stays valid for readers on other threads.
 *
 * @param state                       IEC 61851-1 state decided by the last cycle
 * @param faults                      latched or present faults
 * @param selfTestPassed              the start-up self-test passed
 * @param vehiclePilot                last informative pilot letter (A..D): what is plugged in
 * @param sessionIdBase               base of session ids, unique per safety start
 * @param sessionCounter              sessions started since this safety start
 * @param sessionId                   running session, 0 when none
 * @param sessionStartMillis          board time the running session started, 0 when none
 * @param sessionStartMeterWh         meter register when the running session started
 * @param authorized                  the running (or next) session is authorized
 * @param idTag                       who authorized it, empty when not authorized
 * @param stopRequested               a stop applies to the running session
 * @param stopReason                  why, when stopRequested
 * @param windDownSinceMillis         board time the offer was withdrawn with the contactor still closed, -1 when none
 * @param contactorCommanded          the contactor command written by the last cycle (after the guard)
 * @param contactorCommandSinceMillis board time of the last change of that command (weld / stuck-open checks)
 */
public record ControllerState(
        ChargerState state,
        Set<Fault> faults,
        boolean selfTestPassed,
        CpState vehiclePilot,
        long sessionIdBase,
        long sessionCounter,
        long sessionId,
        long sessionStartMillis,
        long sessionStartMeterWh,
        boolean authorized,
        String idTag,
        boolean stopRequested,
        Optional<StopReason> stopReason,
        long windDownSinceMillis,
        boolean contactorCommanded,
        long contactorCommandSinceMillis) {

    public ControllerState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(vehiclePilot, "vehiclePilot");
        Objects.requireNonNull(idTag, "idTag");
        Objects.requireNonNull(stopReason, "stopReason");
        // An EnumSet keeps log lines and status in declaration order.
        faults = faults.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(faults));
        if (!vehiclePilot.vehicleConnected() && vehiclePilot != CpState.A) {
            throw new IllegalArgumentException("vehiclePilot must be A..D, not " + vehiclePilot);
        }
    }

    /**
     * The state before the first cycle: nothing plugged in, contactor commanded open
     * since {@code boardMillis}, with the faults the start-up found.
     */
    public static ControllerState initial(long boardMillis, long sessionIdBase, Set<Fault> faults,
            boolean selfTestPassed) {
        return new ControllerState(ChargerState.A, faults, selfTestPassed, CpState.A, sessionIdBase, 0, 0, 0, 0,
                false, "", false, Optional.empty(), -1, false, boardMillis);
    }

    public boolean sessionActive() {
        return sessionId != 0;
    }

    /** A fault that refuses new authorizations: every latched kind, not the ones that clear by themselves. */
    public boolean hasLatchedFault() {
        return faults.stream().anyMatch(f -> f.latch() != Fault.Latch.WHILE_PRESENT);
    }

    /** Records the contactor command actually written after the guard. */
    public ControllerState withContactorCommand(boolean closed, long boardMillis) {
        if (closed == contactorCommanded) {
            return this;
        }
        return toBuilder().contactorCommanded(closed).contactorCommandSinceMillis(boardMillis).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Local, single-use mutable copy for building the next state inside one cycle. */
    public static final class Builder {
        private ChargerState state;
        private Set<Fault> faults;
        private boolean selfTestPassed;
        private CpState vehiclePilot;
        private long sessionIdBase;
        private long sessionCounter;
        private long sessionId;
        private long sessionStartMillis;
        private long sessionStartMeterWh;
        private boolean authorized;
        private String idTag;
        private boolean stopRequested;
        private Optional<StopReason> stopReason;
        private long windDownSinceMillis;
        private boolean contactorCommanded;
        private long contactorCommandSinceMillis;

        private Builder(ControllerState s) {
            state = s.state;
            faults = s.faults;
            selfTestPassed = s.selfTestPassed;
            vehiclePilot = s.vehiclePilot;
            sessionIdBase = s.sessionIdBase;
            sessionCounter = s.sessionCounter;
            sessionId = s.sessionId;
            sessionStartMillis = s.sessionStartMillis;
            sessionStartMeterWh = s.sessionStartMeterWh;
            authorized = s.authorized;
            idTag = s.idTag;
            stopRequested = s.stopRequested;
            stopReason = s.stopReason;
            windDownSinceMillis = s.windDownSinceMillis;
            contactorCommanded = s.contactorCommanded;
            contactorCommandSinceMillis = s.contactorCommandSinceMillis;
        }

        public Builder state(ChargerState v) {
            state = v;
            return this;
        }

        public Builder faults(Set<Fault> v) {
            faults = v;
            return this;
        }

        public Builder selfTestPassed(boolean v) {
            selfTestPassed = v;
            return this;
        }

        public Builder vehiclePilot(CpState v) {
            vehiclePilot = v;
            return this;
        }

        public Builder sessionCounter(long v) {
            sessionCounter = v;
            return this;
        }

        public Builder session(long id, long startMillis, long startMeterWh) {
            sessionId = id;
            sessionStartMillis = startMillis;
            sessionStartMeterWh = startMeterWh;
            return this;
        }

        public Builder authorized(boolean v, String tag) {
            authorized = v;
            idTag = tag;
            return this;
        }

        public Builder stop(boolean requested, Optional<StopReason> reason) {
            stopRequested = requested;
            stopReason = reason;
            return this;
        }

        public Builder windDownSinceMillis(long v) {
            windDownSinceMillis = v;
            return this;
        }

        public Builder contactorCommanded(boolean v) {
            contactorCommanded = v;
            return this;
        }

        public Builder contactorCommandSinceMillis(long v) {
            contactorCommandSinceMillis = v;
            return this;
        }

        public ControllerState build() {
            return new ControllerState(state, faults, selfTestPassed, vehiclePilot, sessionIdBase, sessionCounter,
                    sessionId, sessionStartMillis, sessionStartMeterWh, authorized, idTag, stopRequested, stopReason,
                    windDownSinceMillis, contactorCommanded, contactorCommandSinceMillis);
        }
    }
}
