package org.voltkeep.safety.internal;

import java.util.List;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.Energy;
import org.voltkeep.hal.MeterReading;
import org.voltkeep.hal.PhaseReading;
import org.voltkeep.hal.Power;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.Voltage;

/** Builders for snapshots and states so each pure test states only what matters to it. */
final class Fixtures {
    static final long SESSION_BASE = 1_000_000;
    static final SafetyConfig CFG = SafetyConfig.defaults();
    static final SafetyConfig VENT = CFG.toBuilder().ventilationAvailable(true).build();

    private Fixtures() {
    }

    static In in(long boardMillis) {
        return new In(boardMillis);
    }

    static ControllerState idle(long boardMillis) {
        return ControllerState.initial(boardMillis, SESSION_BASE, Set.of(), true);
    }

    /** A state in the middle of a session. */
    static ControllerState inSession(ChargerState state, CpState vehicle, boolean authorized, boolean contactorClosed,
            long contactorSince) {
        return idle(0).toBuilder()
                .state(state)
                .vehiclePilot(vehicle)
                .sessionCounter(1)
                .session(SESSION_BASE + 1, 0, 100)
                .authorized(authorized, authorized ? "tag-1" : "")
                .contactorCommanded(contactorClosed)
                .contactorCommandSinceMillis(contactorSince)
                .build();
    }

    static Requests up() {
        return Requests.none(LinkState.UP);
    }

    static Requests silent() {
        return Requests.none(LinkState.SILENT_FALLBACK);
    }

    static ControllerState withFaults(ControllerState s, Fault... faults) {
        return s.toBuilder().faults(Set.of(faults)).build();
    }

    /** A mutable snapshot builder; defaults: EV absent, 32 A cable present, 25 °C, everything healthy. */
    static final class In {
        long boardMillis;
        CpState pilot = CpState.A;
        PwmDuty pwm = PwmDuty.STATIC_HIGH;
        CableRating cable = CableRating.A32;
        boolean contactorCommanded;
        boolean contactorFeedback;
        RcdStatus rcd = RcdStatus.OK;
        Temperature temperature = Temperature.ofCelsius(25);
        long meterWh = 100;
        int phaseMilliamps;
        boolean watchdogExpired;
        Current hardware = Current.ofAmps(32);

        In(long boardMillis) {
            this.boardMillis = boardMillis;
        }

        In pilot(CpState p) {
            pilot = p;
            return this;
        }

        In pwm(PwmDuty d) {
            pwm = d;
            return this;
        }

        In cable(CableRating c) {
            cable = c;
            return this;
        }

        /** Commanded and feedback the same, as after the contactor settled. */
        In contactor(boolean closed) {
            contactorCommanded = closed;
            contactorFeedback = closed;
            return this;
        }

        In contactor(boolean commanded, boolean feedback) {
            contactorCommanded = commanded;
            contactorFeedback = feedback;
            return this;
        }

        In rcd(RcdStatus s) {
            rcd = s;
            return this;
        }

        In celsius(double c) {
            temperature = Temperature.ofCelsius(c);
            return this;
        }

        In meterWh(long wh) {
            meterWh = wh;
            return this;
        }

        In watchdogExpired() {
            watchdogExpired = true;
            return this;
        }

        In hardwareAmps(int a) {
            hardware = Current.ofAmps(a);
            return this;
        }

        Inputs build() {
            PhaseReading phase = new PhaseReading(Voltage.ofVolts(230), new Current(phaseMilliamps),
                    new Power(230 * phaseMilliamps / 1000));
            return new Inputs(boardMillis, pilot, pwm, cable, contactorCommanded, contactorFeedback, rcd, temperature,
                    new MeterReading(List.of(phase, phase, phase), new Energy(meterWh)), watchdogExpired, hardware);
        }
    }
}
