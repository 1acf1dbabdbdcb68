package org.voltkeep.safety.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;

/**
 * The pure heart of the safety controller: (state, inputs, requests, config) →
 * (next state, outputs, events). No I/O, no clock, no threads: the unit tests drive it
 * row by row. The state machine itself is the {@link Transition} table; this class
 * derives the cycle's event (faults, sessions, requests, limit) and applies the row.
 */
public final class SafetyLogic {
    private static final Set<ChargerState> CONNECTED_OK =
            EnumSet.of(ChargerState.B1, ChargerState.B2, ChargerState.C1, ChargerState.C2, ChargerState.D1,
                    ChargerState.D2);

    private SafetyLogic() {
    }

    /** The result of a whole cycle: decision, guard verdict, and the state to keep. */
    public record CycleResult(ControllerState next, Outputs outputs, Decision decision, List<String> guardViolations) {
        public CycleResult {
            guardViolations = List.copyOf(guardViolations);
        }
    }

    /** decide → guard → record the contactor command that will really be written. */
    public static CycleResult cycle(ControllerState s, Inputs in, Requests r, SafetyConfig cfg) {
        Decision d = decide(s, in, r, cfg);
        OutputGuard.Verdict v = OutputGuard.check(s, d, in, r, cfg);
        ControllerState next = d.next().withContactorCommand(v.outputs().contactorClosed(), in.boardMillis());
        if (!v.outputs().contactorClosed() && next.windDownSinceMillis() >= 0) {
            next = next.toBuilder().windDownSinceMillis(-1).build();
        }
        return new CycleResult(next, v.outputs(), d, v.violations());
    }

    public static Decision decide(ControllerState s, Inputs in, Requests r, SafetyConfig cfg) {
        long now = in.boardMillis();
        ControllerState.Builder b = s.toBuilder();
        List<SafetyEvent> events = new ArrayList<>();

        CpState vehicle = vehicleLetter(in, s.vehiclePilot());
        b.vehiclePilot(vehicle);

        EnumSet<Fault> faults = s.faults().isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(s.faults());
        Map<Fault, String> causes = new EnumMap<>(Fault.class);
        clearFaults(faults, vehicle, in, r, cfg);
        raiseFaults(faults, causes, vehicle, s, in, cfg);

        // Sessions: plug-in to unplug. Unplug also ends authorization and any stop.
        long sessionId = s.sessionId();
        boolean authorized = s.authorized();
        String idTag = s.idTag();
        boolean stopRequested = s.stopRequested();
        Optional<StopReason> stopReason = s.stopReason();
        if (vehicle == CpState.A && s.sessionActive()) {
            long energy = in.meterWh() - s.sessionStartMeterWh();
            events.add(new SafetyEvent.SessionEnded(sessionId, now, energy,
                    stopReason.orElse(StopReason.EV_DISCONNECTED)));
            sessionId = 0;
            b.session(0, 0, 0);
            authorized = false;
            idTag = "";
            stopRequested = false;
            stopReason = Optional.empty();
        } else if (vehicle != CpState.A && !s.sessionActive()) {
            long counter = s.sessionCounter() + 1;
            sessionId = s.sessionIdBase() + counter;
            b.sessionCounter(counter).session(sessionId, now, in.meterWh());
            events.add(new SafetyEvent.SessionStarted(sessionId, now, in.meterWh()));
        }

        // Requests. A latched fault refuses authorization here too (the synchronous check can race a new fault).
        if (r.authorizeIdTag().isPresent() && !hasLatched(faults)) {
            authorized = true;
            idTag = r.authorizeIdTag().get();
            stopRequested = false;
            stopReason = Optional.empty();
        }
        if (r.stop().isPresent()) {
            if (sessionId != 0) {
                if (!stopRequested) {
                    events.add(new SafetyEvent.StopApplied(sessionId, now, r.stop().get()));
                }
                stopRequested = true;
                stopReason = r.stop();
            } else {
                // No session yet: a stop withdraws a pre-authorization.
                authorized = false;
                idTag = "";
            }
        }
        boolean linkStop = r.link() != LinkState.UP && cfg.fallback() == FallbackMode.STOP;
        if (linkStop && sessionId != 0 && !stopRequested) {
            stopRequested = true;
            stopReason = Optional.of(StopReason.LINK_SILENT);
            events.add(new SafetyEvent.StopApplied(sessionId, now, StopReason.LINK_SILENT));
        }
        b.authorized(authorized, idTag).stop(stopRequested, stopReason);

        EffectiveLimit limit = LimitArbiter.arbitrate(in.hardwareRating(), in.cable(), in.temperature(), r.link(),
                LimitArbiter.live(r.liveClaims(), now), cfg);

        // A pilot letter remembered from before a -12 V period is stale: offer nothing until it is measured again.
        boolean stalePilot = in.pilot() != vehicle;
        boolean withheld = !authorized || stopRequested || !limit.allowsOffer() || linkStop || stalePilot;
        CycleEvent event = classify(faults, vehicle, withheld, cfg);
        Transition t = Transition.lookup(s.state(), event);

        PwmDuty pwm = switch (t.pilot()) {
            case PLUS_12V -> PwmDuty.STATIC_HIGH;
            case MINUS_12V -> PwmDuty.STATIC_LOW;
            case OFFER -> PwmDuty.forCurrent(limit.current());
        };
        boolean closed;
        long windDownSince = -1;
        switch (t.contactor()) {
            case OPEN -> closed = false;
            case CLOSE -> closed = true;
            case WIND_DOWN -> {
                if (s.contactorCommanded()) {
                    long since = s.windDownSinceMillis() >= 0 ? s.windDownSinceMillis() : now;
                    closed = now - since < cfg.stopOpenTimeoutMillis();
                    windDownSince = closed ? since : -1;
                } else {
                    closed = false;
                }
            }
            default -> throw new IllegalStateException("unknown contactor action " + t.contactor());
        }
        b.windDownSinceMillis(windDownSince);

        // Never unlock a plug that carries current; otherwise hold it only for a live, wanted session.
        boolean locked = closed || (vehicle != CpState.A && authorized && !stopRequested
                && CONNECTED_OK.contains(t.to()));
        IndicatorState indicator = indicator(faults, vehicle, t.to(), closed, authorized, stopRequested);

        b.state(t.to()).faults(faults);
        for (Fault f : faults) {
            if (!s.faults().contains(f)) {
                events.add(new SafetyEvent.FaultRaised(f, now, causes.getOrDefault(f, "")));
            }
        }
        for (Fault f : s.faults()) {
            if (!faults.contains(f)) {
                events.add(new SafetyEvent.FaultCleared(f, now));
            }
        }
        return new Decision(b.build(), new Outputs(pwm, closed, locked, indicator), limit, t, events);
    }

    /**
     * Which vehicle state the pilot shows. E says nothing about the vehicle (shorted
     * pilot), nor does F: while PWM oscillates F means a missing diode, and while we
     * drive -12 V the positive level cannot be measured; then an absent cable (PP) is the
     * only sign the vehicle left.
     */
    static CpState vehicleLetter(Inputs in, CpState previous) {
        return switch (in.pilot()) {
            case A, B, C, D -> in.pilot();
            case E -> previous;
            case F -> !in.pwm().oscillating() && !in.cable().present() ? CpState.A : previous;
        };
    }

    private static void clearFaults(EnumSet<Fault> faults, CpState vehicle, Inputs in, Requests r, SafetyConfig cfg) {
        if (vehicle == CpState.A) {
            faults.removeIf(f -> f.latch() == Fault.Latch.UNTIL_UNPLUG);
        }
        if (in.temperature().deciCelsius() < cfg.resumeCelsius() * 10) {
            faults.remove(Fault.OVER_TEMPERATURE);
        }
        // Never clear an RCD trip while the contacts are closed: the reset would re-energize a fault.
        if (r.resetRequested() && !in.rcd().tripped() && !in.contactorFeedback()) {
            faults.removeIf(f -> f.latch() == Fault.Latch.UNTIL_RESET);
        }
    }

    private static void raiseFaults(EnumSet<Fault> faults, Map<Fault, String> causes, CpState vehicle,
            ControllerState s, Inputs in, SafetyConfig cfg) {
        long now = in.boardMillis();
        if (in.watchdogExpired()) {
            raise(faults, causes, Fault.WATCHDOG_EXPIRED, "the board reports a hardware watchdog expiry");
        }
        if (in.rcd().tripped()) {
            raise(faults, causes, Fault.RCD_TRIP, "residual current monitor reads " + in.rcd());
        }
        if (in.temperature().deciCelsius() >= cfg.stopCelsius() * 10) {
            raise(faults, causes, Fault.OVER_TEMPERATURE,
                    "temperature " + in.temperature() + " reached stopCelsius " + cfg.stopCelsius());
        }
        if (in.pilot() == CpState.E) {
            raise(faults, causes, Fault.CP_SHORT, "control pilot reads E (0 V)");
        }
        if (in.pilot() == CpState.F && in.pwm().oscillating()) {
            raise(faults, causes, Fault.DIODE_FAULT, "control pilot reads F while PWM oscillates at " + in.pwm());
        }
        if (vehicle.vehicleConnected() && !in.cable().present()) {
            raise(faults, causes, Fault.CABLE_REMOVED, "proximity pilot reads no cable while pilot shows " + vehicle);
        }
        long sinceCommand = now - s.contactorCommandSinceMillis();
        // Both our last command and the board's must agree: a board reset (watchdog) changes the command under us.
        if (!s.contactorCommanded() && !in.contactorCommanded() && in.contactorFeedback()
                && sinceCommand >= cfg.weldCheckMillis()) {
            raise(faults, causes, Fault.CONTACTOR_WELDED,
                    "feedback still closed " + sinceCommand + " ms after the open command");
        }
        // At A the contactor opens anyway and the fault would clear at once: do not raise it there.
        if (s.contactorCommanded() && in.contactorCommanded() && !in.contactorFeedback()
                && sinceCommand >= cfg.closeCheckMillis() && vehicle != CpState.A) {
            raise(faults, causes, Fault.CONTACTOR_STUCK_OPEN,
                    "feedback still open " + sinceCommand + " ms after the close command");
        }
    }

    private static void raise(EnumSet<Fault> faults, Map<Fault, String> causes, Fault f, String cause) {
        faults.add(f);
        causes.put(f, cause);
    }

    static boolean hasLatched(Set<Fault> faults) {
        return faults.stream().anyMatch(f -> f.latch() != Fault.Latch.WHILE_PRESENT);
    }

    static CycleEvent classify(Set<Fault> faults, CpState vehicle, boolean withheld, SafetyConfig cfg) {
        if (faults.stream().anyMatch(f -> f.latch() == Fault.Latch.PERMANENT || f.latch() == Fault.Latch.UNTIL_RESET)) {
            return CycleEvent.HARD_FAULT;
        }
        if (faults.contains(Fault.CP_SHORT)) {
            return CycleEvent.PILOT_SHORT;
        }
        if (faults.stream().anyMatch(f -> f.latch() == Fault.Latch.UNTIL_UNPLUG)) {
            return CycleEvent.UNPLUG_FAULT;
        }
        boolean blocked = !faults.isEmpty();
        return switch (vehicle) {
            case A -> CycleEvent.NO_VEHICLE;
            case B -> blocked || withheld ? CycleEvent.B_NO_OFFER : CycleEvent.B_OFFER;
            case C -> blocked ? CycleEvent.C_BLOCKED : withheld ? CycleEvent.C_WITHHELD : CycleEvent.C_OFFER;
            case D -> blocked || !cfg.ventilationAvailable() ? CycleEvent.D_BLOCKED
                    : withheld ? CycleEvent.D_WITHHELD : CycleEvent.D_OFFER;
            case E, F -> throw new IllegalStateException("vehicle letter " + vehicle + " is not a vehicle state");
        };
    }

    private static IndicatorState indicator(Set<Fault> faults, CpState vehicle, ChargerState to, boolean closed,
            boolean authorized, boolean stopRequested) {
        if (!faults.isEmpty()) {
            return IndicatorState.FAULT;
        }
        if (vehicle == CpState.A) {
            return IndicatorState.IDLE;
        }
        if (closed && (to == ChargerState.C2 || to == ChargerState.D2)) {
            return IndicatorState.CHARGING;
        }
        return authorized && !stopRequested ? IndicatorState.PAUSED : IndicatorState.CONNECTED;
    }
}
