package org.voltkeep.safety.internal;

import java.util.ArrayList;
import java.util.List;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.PwmDuty;

/**
 * Defense in depth after {@link SafetyLogic#decide}: re-checks the contactor and pilot
 * outputs against the raw inputs with rules written independently of the transition
 * table, and forces them safe when a rule does not hold. A correction means the table
 * or the logic has a defect; the controller logs every one.
 *
 * <p>Closing (or keeping closed while offering) needs every clause: state C2 (or D2 with
 * ventilation), authorized, no fault in the state nor in the raw inputs, vehicle ready
 * on the measured pilot, no stop, effective limit at least 6 A, pilot oscillating, and a
 * link that is up or silent with the SAFE_CURRENT fallback. The one exception is the
 * wind-down after the offer was withdrawn: a contactor that is already closed may stay
 * closed, with the pilot at static +12 V and no fault, while the vehicle still reads C/D
 * and for at most {@code stopOpenTimeoutMillis}, so the contacts do not break the load.
 */
public final class OutputGuard {
    private OutputGuard() {
    }

    /** The outputs to write and every rule that forced a correction (empty when none). */
    public record Verdict(Outputs outputs, List<String> violations) {
        public Verdict {
            violations = List.copyOf(violations);
        }
    }

    public static Verdict check(ControllerState previous, Decision d, Inputs in, Requests r, SafetyConfig cfg) {
        Outputs o = d.outputs();
        ControllerState n = d.next();
        // The guard arbitrates again on its own rather than trusting the decision's limit.
        EffectiveLimit limit = LimitArbiter.arbitrate(in.hardwareRating(), in.cable(), in.temperature(), r.link(),
                LimitArbiter.live(r.liveClaims(), in.boardMillis()), cfg);
        List<String> violations = new ArrayList<>();

        if (o.pwm().oscillating()) {
            List<String> why = offerViolations(n, in, r, cfg, limit, o.pwm());
            if (!why.isEmpty()) {
                violations.addAll(why.stream().map(w -> "PWM forced to static +12 V: " + w).toList());
                o = o.withPwm(PwmDuty.STATIC_HIGH);
            }
        }
        if (o.contactorClosed()) {
            List<String> why = closeViolations(n, in, r, cfg, limit, o.pwm());
            if (!why.isEmpty() && !windDownHoldAllowed(previous, n, in, o.pwm(), cfg)) {
                violations.addAll(why.stream().map(w -> "contactor forced open: " + w).toList());
                o = o.withContactor(false);
            }
        }
        return new Verdict(o, violations);
    }

    static List<String> closeViolations(ControllerState n, Inputs in, Requests r, SafetyConfig cfg,
            EffectiveLimit limit, PwmDuty pwm) {
        List<String> why = new ArrayList<>();
        boolean stateOk = n.state() == ChargerState.C2 || (n.state() == ChargerState.D2 && cfg.ventilationAvailable());
        if (!stateOk) {
            why.add("state " + n.state() + " is not C2" + (cfg.ventilationAvailable() ? " or D2" : ""));
        }
        if (!n.authorized()) {
            why.add("session not authorized");
        }
        why.addAll(faultViolations(n, in, cfg));
        boolean ready = in.pilot() == CpState.C || (in.pilot() == CpState.D && cfg.ventilationAvailable());
        if (!ready) {
            why.add("measured pilot " + in.pilot() + " does not ask for energy");
        }
        if (n.stopRequested()) {
            why.add("stop requested");
        }
        if (!limit.allowsOffer()) {
            why.add("effective limit " + limit.current() + " (" + limit.source() + ") is below 6 A");
        }
        if (!pwm.oscillating()) {
            why.add("pilot does not oscillate (" + pwm + ")");
        }
        if (r.link() != LinkState.UP && cfg.fallback() == FallbackMode.STOP) {
            why.add("link is silent and the fallback is STOP");
        }
        return why;
    }

    static List<String> offerViolations(ControllerState n, Inputs in, Requests r, SafetyConfig cfg,
            EffectiveLimit limit, PwmDuty pwm) {
        List<String> why = new ArrayList<>();
        boolean stateOk = n.state() == ChargerState.B2 || n.state() == ChargerState.C2
                || (n.state() == ChargerState.D2 && cfg.ventilationAvailable());
        if (!stateOk) {
            why.add("state " + n.state() + " offers no current");
        }
        if (!n.authorized()) {
            why.add("session not authorized");
        }
        why.addAll(faultViolations(n, in, cfg));
        if (!in.pilot().vehicleConnected()) {
            why.add("measured pilot " + in.pilot() + " shows no vehicle");
        }
        if (n.stopRequested()) {
            why.add("stop requested");
        }
        if (pwm.offeredCurrent().compareTo(limit.current()) > 0) {
            why.add("duty " + pwm + " offers " + pwm.offeredCurrent() + " above the limit " + limit.current());
        }
        if (r.link() != LinkState.UP && cfg.fallback() == FallbackMode.STOP) {
            why.add("link is silent and the fallback is STOP");
        }
        return why;
    }

    private static List<String> faultViolations(ControllerState n, Inputs in, SafetyConfig cfg) {
        List<String> why = new ArrayList<>();
        if (!n.faults().isEmpty()) {
            why.add("faults " + n.faults() + " are active");
        }
        if (in.rcd().tripped()) {
            why.add("RCD reads " + in.rcd());
        }
        if (in.watchdogExpired()) {
            why.add("watchdog expired");
        }
        if (in.temperature().deciCelsius() >= cfg.stopCelsius() * 10) {
            why.add("temperature " + in.temperature() + " at or above stopCelsius " + cfg.stopCelsius());
        }
        if (!n.selfTestPassed()) {
            why.add("self-test did not pass");
        }
        return why;
    }

    /**
     * The wind-down exception, judged from the previous state the guard was given rather
     * than from the decision: the timer starts when a C2/D2 contactor first stays closed
     * without an offer and can never be restarted by the decision.
     */
    static boolean windDownHoldAllowed(ControllerState previous, ControllerState n, Inputs in, PwmDuty pwm,
            SafetyConfig cfg) {
        boolean windingState = n.state() == ChargerState.C1 || n.state() == ChargerState.D1;
        boolean alreadyClosed = in.contactorCommanded() && previous.contactorCommanded();
        boolean vehicleReady = in.pilot() == CpState.C || in.pilot() == CpState.D;
        boolean noFault = faultViolations(n, in, cfg).isEmpty();
        long since;
        if (previous.windDownSinceMillis() >= 0) {
            since = previous.windDownSinceMillis();
        } else if (previous.state() == ChargerState.C2 || previous.state() == ChargerState.D2) {
            since = in.boardMillis();
        } else {
            return false;
        }
        boolean inTime = in.boardMillis() - since < cfg.stopOpenTimeoutMillis();
        return windingState && alreadyClosed && vehicleReady && noFault && inTime
                && pwm.equals(PwmDuty.STATIC_HIGH);
    }
}
