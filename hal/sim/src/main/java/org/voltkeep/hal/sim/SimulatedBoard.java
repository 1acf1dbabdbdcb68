package org.voltkeep.hal.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.hal.Board;
import org.voltkeep.hal.BoardClock;
import org.voltkeep.hal.CableLock;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Contactor;
import org.voltkeep.hal.ControlPilot;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.EnergyMeter;
import org.voltkeep.hal.Energy;
import org.voltkeep.hal.HardwareWatchdog;
import org.voltkeep.hal.Indicator;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.MeterReading;
import org.voltkeep.hal.PhaseReading;
import org.voltkeep.hal.Power;
import org.voltkeep.hal.ProximityPilot;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdMonitor;
import org.voltkeep.hal.RcdStatus;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.TemperatureSensor;
import org.voltkeep.hal.Voltage;

/**
 * A complete simulated charger board with a vehicle attached to it.
 *
 * <p>Timing: nothing moves unless {@link #step(Duration)} (or the
 * {@link SimulationRunner}) moves it. Delays inside the board (contactor travel,
 * vehicle reaction, watchdog timeout) are measured on the {@link SimClock}.
 *
 * <p>Mechanics: the contactor's auxiliary contact and the lock's position switch
 * follow their command after {@value #CONTACTOR_TRAVEL_MILLIS} ms of board time.
 * The meter measures {@value #MAINS_VOLTS} V on each of 3 phases; current flows on
 * as many phases as the vehicle uses. When the hardware watchdog expires the board
 * does what a reset does to real outputs: contactor commanded open, PWM at static
 * +12 V, lock released.
 *
 * <p>Threading: one lock guards all state. Board input listeners and sim listeners
 * are called outside that lock, in the order the changes happened; a change made by
 * one thread while another is delivering is delivered by the thread already
 * delivering.
 */
public final class SimulatedBoard implements Board {
    /** Travel time of the contactor and the lock until their feedback follows. */
    public static final long CONTACTOR_TRAVEL_MILLIS = 20;
    public static final int MAINS_VOLTS = 230;
    /** The physics integrate in sub-steps no longer than this. */
    public static final Duration MAX_SUB_STEP = Duration.ofMillis(100);
    /** Over-temperature heating while current flows, and its ceiling. */
    static final double OVERHEAT_CELSIUS_PER_SECOND = 2.0;
    static final double OVERHEAT_MAX_CELSIUS = 95.0;
    /** Cooling toward ambient once the over-temperature cause is gone. */
    static final double COOLING_CELSIUS_PER_SECOND = 1.0;

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedBoard.class);
    private static final long NONE = Long.MAX_VALUE;
    private static final long MS = 1_000_000L;
    private static final int METER_PHASES = 3;

    private final SimClock clock;
    private final Current hardwareRating;
    private final Object state = new Object();
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final List<Runnable> inputListeners = new CopyOnWriteArrayList<>();
    private final List<SimListener> simListeners = new CopyOnWriteArrayList<>();

    // Everything below is guarded by `state`.
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final EnumSet<SimFault> faults = EnumSet.noneOf(SimFault.class);
    private PwmDuty duty = PwmDuty.STATIC_HIGH;
    private boolean contactorCommand;
    private boolean contactorFeedback;
    private long contactorDueNanos = NONE;
    private boolean lockCommand;
    private boolean lockFeedback;
    private long lockDueNanos = NONE;
    private IndicatorState indicator = IndicatorState.OFF;
    private double ambientCelsius = 25.0;
    private double temperatureCelsius = 25.0;
    private double energyWh;
    private boolean watchdogArmed;
    private long watchdogTimeoutNanos;
    private long watchdogLastPetNanos;
    private boolean watchdogExpired;
    private long watchdogPets;
    private long inputChanges;
    private long petsAtLastInputChange;

    // The vehicle.
    private EvProfile ev;
    private CableRating cable = CableRating.NONE;
    private CpState evLevel = CpState.A;
    private double socPercent;
    private boolean evPaused;
    private boolean evFull;
    private long evReadyDueNanos = NONE;
    private long evStandbyDueNanos = NONE;
    private double drawingMa;
    private int targetMa;
    private double rampFromMa;
    private long rampStartNanos;
    private long rampEndNanos = NONE;

    private final ControlPilot pilot = new SimPilot();
    private final ProximityPilot proximity = () -> read(SimulatedBoard.this::ppLocked);
    private final Contactor contactor = new SimContactor();
    private final CableLock cableLock = new SimLock();
    private final RcdMonitor rcd = new SimRcd();
    private final EnergyMeter meter = () -> read(SimulatedBoard.this::meterLocked);
    private final TemperatureSensor temperatureSensor = () -> read(() -> Temperature.ofCelsius(temperatureCelsius));
    private final Indicator indicatorPort = new SimIndicator();
    private final HardwareWatchdog watchdog = new SimWatchdog();

    public SimulatedBoard(SimClock clock, Current hardwareRating) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hardwareRating = Objects.requireNonNull(hardwareRating, "hardwareRating");
        if (hardwareRating.milliamps() < 6000) {
            throw new IllegalArgumentException("hardware rating " + hardwareRating + " is below the 6 A minimum of IEC 61851-1");
        }
    }

    // ---------------------------------------------------------------- Board

    @Override
    public String kind() {
        return "sim";
    }

    @Override
    public BoardClock clock() {
        return clock;
    }

    public SimClock simClock() {
        return clock;
    }

    @Override
    public ControlPilot controlPilot() {
        return pilot;
    }

    @Override
    public ProximityPilot proximityPilot() {
        return proximity;
    }

    @Override
    public Contactor contactor() {
        return contactor;
    }

    @Override
    public CableLock cableLock() {
        return cableLock;
    }

    @Override
    public RcdMonitor rcdMonitor() {
        return rcd;
    }

    @Override
    public EnergyMeter meter() {
        return meter;
    }

    @Override
    public TemperatureSensor temperatureSensor() {
        return temperatureSensor;
    }

    @Override
    public Indicator indicator() {
        return indicatorPort;
    }

    @Override
    public HardwareWatchdog watchdog() {
        return watchdog;
    }

    @Override
    public Current hardwareRating() {
        return hardwareRating;
    }

    @Override
    public void onInputChange(Runnable listener) {
        inputListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeInputListener(Runnable listener) {
        inputListeners.remove(listener);
    }

    // ---------------------------------------------------------------- simulator controls

    /** Connects a vehicle: its pilot goes from A to B, and the proximity pilot reads the cable. */
    public void plugIn(EvProfile profile, CableRating cableRating) {
        Objects.requireNonNull(profile, "ev");
        Objects.requireNonNull(cableRating, "cable");
        mutate(() -> {
            if (ev != null) {
                throw new IllegalStateException("cannot plug in EV '" + profile.name() + "': EV '" + ev.name() + "' is already plugged in");
            }
            long now = clock.nanos();
            ev = profile;
            cable = cableRating;
            evLevel = CpState.B;
            socPercent = profile.initialSocPercent();
            evPaused = false;
            evFull = socPercent >= profile.targetSocPercent();
            evReadyDueNanos = NONE;
            evStandbyDueNanos = NONE;
            drawingMa = 0;
            targetMa = 0;
            rampEndNanos = NONE;
            emit(SimEvent.Kind.PLUGGED, profile.name() + " " + cableRating.name());
            if (evFull) {
                emit(SimEvent.Kind.EV_FULL, String.valueOf(profile.initialSocPercent()));
            }
            updateEv(now);
        });
    }

    /** Disconnects the vehicle: pilot A, proximity pilot NONE, no current from that instant. */
    public void unplug() {
        mutate(() -> {
            if (ev == null) {
                return;
            }
            String name = ev.name();
            ev = null;
            cable = CableRating.NONE;
            evLevel = CpState.A;
            evPaused = false;
            evFull = false;
            evReadyDueNanos = NONE;
            evStandbyDueNanos = NONE;
            drawingMa = 0;
            targetMa = 0;
            rampEndNanos = NONE;
            emit(SimEvent.Kind.UNPLUGGED, name);
        });
    }

    /** The vehicle itself pauses (C to B at once) or resumes (B to C after its reaction time, if it wants energy). */
    public void evPause(boolean paused) {
        mutate(() -> {
            if (ev == null) {
                throw new IllegalStateException("cannot " + (paused ? "pause" : "resume") + ": no EV is plugged in");
            }
            if (evPaused == paused) {
                return;
            }
            evPaused = paused;
            emit(SimEvent.Kind.EV_PAUSED, paused ? "paused" : "resumed");
            updateEv(clock.nanos());
        });
    }

    public void inject(SimFault f) {
        Objects.requireNonNull(f, "fault");
        mutate(() -> {
            if (faults.add(f)) {
                emit(SimEvent.Kind.FAULT_INJECTED, f.name());
                long now = clock.nanos();
                scheduleContactor(now);
                updateEv(now);
            }
        });
    }

    public void clear(SimFault f) {
        Objects.requireNonNull(f, "fault");
        mutate(() -> {
            if (faults.remove(f)) {
                emit(SimEvent.Kind.FAULT_CLEARED, f.name());
                long now = clock.nanos();
                scheduleContactor(now);
                updateEv(now);
            }
        });
    }

    public Set<SimFault> activeFaults() {
        return read(() -> Collections.unmodifiableSet(EnumSet.copyOf(faults)));
    }

    /**
     * Sets the ambient temperature. The sensor reads it at once unless an
     * over-temperature is being simulated, in which case the hot spot cools toward it.
     */
    public void setAmbientTemperature(Temperature t) {
        Objects.requireNonNull(t, "temperature");
        mutate(() -> {
            double old = ambientCelsius;
            ambientCelsius = t.celsius();
            // A hot spot that was not heated above ambient follows the new ambient at once;
            // a heated one cools toward it.
            if (temperatureCelsius <= old + 0.05 || temperatureCelsius < ambientCelsius) {
                temperatureCelsius = ambientCelsius;
            }
            emit(SimEvent.Kind.AMBIENT_CHANGED, String.valueOf(t.celsius()));
        });
    }

    public Temperature ambientTemperature() {
        return read(() -> Temperature.ofCelsius(ambientCelsius));
    }

    /** Advances the clock by {@code dt} and the physics with it, in sub-steps of at most 100 ms. */
    public void step(Duration dt) {
        long remaining = requireNonNegative(dt);
        while (remaining > 0) {
            remaining -= subStep(remaining);
        }
    }

    /**
     * Like {@link #step(Duration)} but returns early, right after the first sub-step
     * that changed an input, so a caller can let the safety loop react before time
     * moves on. Returns the board time actually advanced.
     */
    public Duration stepUntilInputChange(Duration max) {
        long remaining = requireNonNegative(max);
        long done = 0;
        while (remaining > 0) {
            long before = inputChanges();
            long d = subStep(remaining);
            remaining -= d;
            done += d;
            if (inputChanges() != before) {
                break;
            }
        }
        return Duration.ofNanos(done);
    }

    public EvState ev() {
        return read(() -> new EvState(ev != null, evLevel, socPercent, (int) Math.round(drawingMa), evFull, evPaused));
    }

    /** The profile of the plugged vehicle, or null when none is plugged. */
    public EvProfile evProfile() {
        return read(() -> ev);
    }

    public void addSimListener(SimListener l) {
        simListeners.add(Objects.requireNonNull(l, "listener"));
    }

    public void removeSimListener(SimListener l) {
        simListeners.remove(l);
    }

    /** How many times the watchdog was petted since power-up: the safety loop's cycle count. */
    public long watchdogPets() {
        return read(() -> watchdogPets);
    }

    public boolean watchdogArmed() {
        return read(() -> watchdogArmed);
    }

    /** Board time in ms of the last watchdog pet (or of arming it). */
    public long lastPetMillis() {
        return read(() -> watchdogLastPetNanos / MS);
    }

    /**
     * Calls the input listeners although no discrete input changed: the meter and
     * the temperature move continuously, and the runner uses this to have the safety
     * loop look at the board after a stretch of board time (the contract allows a
     * listener call whenever an input may have changed).
     */
    public void announceInputs() {
        synchronized (state) {
            petsAtLastInputChange = watchdogPets;
            pending.add(InputEdge.INSTANCE);
        }
        deliver();
    }

    /** How many sub-steps or calls changed at least one input since power-up. */
    public long inputChanges() {
        return read(() -> inputChanges);
    }

    /**
     * Waits (wall time, at most {@code maxWall}) until the watchdog was petted after
     * the last input change. Returns true when it was.
     */
    public boolean awaitPetAfterInputChange(Duration maxWall) throws InterruptedException {
        long deadline = System.nanoTime() + maxWall.toNanos();
        synchronized (state) {
            while (watchdogPets <= petsAtLastInputChange) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                state.wait(Math.max(1, left / MS));
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- physics

    private static long requireNonNegative(Duration d) {
        long n = d.toNanos();
        if (n < 0) {
            throw new IllegalArgumentException("cannot step the board by a negative duration " + d);
        }
        return n;
    }

    /** One sub-step, stopping at the next internal deadline so delays land exactly. Returns the nanos advanced. */
    private long subStep(long maxNanos) {
        long[] advanced = new long[1];
        mutate(() -> {
            long now = clock.nanos();
            long d = Math.min(maxNanos, MAX_SUB_STEP.toNanos());
            long deadline = nextDeadline();
            if (deadline != NONE && deadline > now && deadline - now < d) {
                d = deadline - now;
            }
            integrate(now, d);
            clock.advance(Duration.ofNanos(d));
            advanced[0] = d;
            discrete(now + d);
        });
        return advanced[0];
    }

    private long nextDeadline() {
        long next = NONE;
        next = Math.min(next, contactorDueNanos);
        next = Math.min(next, lockDueNanos);
        next = Math.min(next, evReadyDueNanos);
        next = Math.min(next, evStandbyDueNanos);
        next = Math.min(next, rampEndNanos);
        if (watchdogArmed && !watchdogExpired) {
            next = Math.min(next, watchdogLastPetNanos + watchdogTimeoutNanos);
        }
        return next;
    }

    /** Continuous quantities over [now, now + d]: energy, state of charge, temperature. */
    private void integrate(long now, long d) {
        double seconds = d / 1e9;
        double ma = drawingAt(now);
        if (ev != null && ma > 0) {
            double wh = MAINS_VOLTS * (ma / 1000.0) * ev.phases() * seconds / 3600.0;
            energyWh += wh;
            socPercent = Math.min(100.0, socPercent + wh / ev.batteryWh() * 100.0);
        }
        if (faults.contains(SimFault.OVER_TEMPERATURE)) {
            if (ma > 0 && temperatureCelsius < OVERHEAT_MAX_CELSIUS) {
                temperatureCelsius = Math.min(OVERHEAT_MAX_CELSIUS, temperatureCelsius + OVERHEAT_CELSIUS_PER_SECOND * seconds);
            }
        } else if (temperatureCelsius > ambientCelsius) {
            temperatureCelsius = Math.max(ambientCelsius, temperatureCelsius - COOLING_CELSIUS_PER_SECOND * seconds);
        }
        if (rampEndNanos != NONE) {
            drawingMa = drawingAt(now + d);
        }
    }

    /** Things that happen at an instant: travel ends, the vehicle reacts, the battery is full, the watchdog bites. */
    private void discrete(long now) {
        if (contactorDueNanos != NONE && now >= contactorDueNanos) {
            contactorDueNanos = NONE;
            boolean target = contactorTarget();
            if (target != contactorFeedback) {
                contactorFeedback = target;
                emit(SimEvent.Kind.CONTACTOR_FEEDBACK, target ? "closed" : "open");
            }
        }
        if (lockDueNanos != NONE && now >= lockDueNanos) {
            lockDueNanos = NONE;
            lockFeedback = lockCommand;
        }
        if (rampEndNanos != NONE && now >= rampEndNanos) {
            rampEndNanos = NONE;
            drawingMa = targetMa;
        }
        if (ev != null && !evFull && socPercent >= ev.targetSocPercent()) {
            evFull = true;
            emit(SimEvent.Kind.EV_FULL, String.format(java.util.Locale.ROOT, "%.1f", socPercent));
        }
        if (evReadyDueNanos != NONE && now >= evReadyDueNanos) {
            evReadyDueNanos = NONE;
            evLevel = ev.requestsVentilation() ? CpState.D : CpState.C;
            emit(SimEvent.Kind.EV_READY, evLevel.name());
        }
        if (evStandbyDueNanos != NONE && now >= evStandbyDueNanos) {
            evStandbyDueNanos = NONE;
            evLevel = CpState.B;
            emit(SimEvent.Kind.EV_STANDBY, "no current offered");
        }
        if (watchdogArmed && !watchdogExpired && now - watchdogLastPetNanos >= watchdogTimeoutNanos) {
            expireWatchdog();
        }
        updateEv(now);
    }

    private void expireWatchdog() {
        watchdogExpired = true;
        emit(SimEvent.Kind.WATCHDOG_EXPIRED, "not petted for " + watchdogTimeoutNanos / MS + " ms");
        LOG.warn("simulated hardware watchdog expired: outputs reset (contactor open, PWM off, lock open)");
        // A real watchdog resets the controller, and its outputs drop to their safe defaults.
        setDutyLocked(PwmDuty.STATIC_HIGH);
        commandContactorLocked(false);
        lockCommand = false;
        lockDueNanos = clock.nanos() + CONTACTOR_TRAVEL_MILLIS * MS;
    }

    /** The vehicle's decisions, re-evaluated after every change. */
    private void updateEv(long now) {
        if (ev == null) {
            return;
        }
        Current offer = faults.contains(SimFault.CP_SHORT) ? Current.ZERO : duty.offeredCurrent();
        boolean offered = offer.milliamps() > 0;
        boolean wantsEnergy = !evPaused && !evFull;
        boolean ready = evLevel.vehicleReady();

        if (!ready) {
            if (wantsEnergy && offered) {
                if (evReadyDueNanos == NONE) {
                    evReadyDueNanos = now + ev.reactionMillis() * MS;
                    if (ev.reactionMillis() == 0) {
                        evReadyDueNanos = NONE;
                        evLevel = ev.requestsVentilation() ? CpState.D : CpState.C;
                        emit(SimEvent.Kind.EV_READY, evLevel.name());
                        ready = true;
                    }
                }
            } else {
                evReadyDueNanos = NONE;
            }
        }
        if (ready) {
            if (!wantsEnergy) {
                // Its own decision (pause, full battery): the car leaves C at once.
                evLevel = CpState.B;
                evStandbyDueNanos = NONE;
                ready = false;
            } else if (!offered) {
                if (evStandbyDueNanos == NONE) {
                    evStandbyDueNanos = now + ev.reactionMillis() * MS;
                    if (ev.reactionMillis() == 0) {
                        evStandbyDueNanos = NONE;
                        evLevel = CpState.B;
                        emit(SimEvent.Kind.EV_STANDBY, "no current offered");
                        ready = false;
                    }
                }
            } else {
                evStandbyDueNanos = NONE;
            }
        }
        int newTarget = ready && offered && contactorFeedback ? Math.min(offer.milliamps(), ev.maxCurrentMilliamps()) : 0;
        if (newTarget != targetMa) {
            double current = drawingAt(now);
            targetMa = newTarget;
            if (newTarget == 0 || newTarget >= current || ev.reactionMillis() == 0) {
                // Current stops with the contacts or the offer; a higher offer is taken at once.
                drawingMa = newTarget;
                rampEndNanos = NONE;
            } else {
                // A lower offer: the car ramps down within its reaction time.
                rampFromMa = current;
                rampStartNanos = now;
                rampEndNanos = now + ev.reactionMillis() * MS;
                drawingMa = current;
            }
        }
    }

    private double drawingAt(long t) {
        if (rampEndNanos == NONE) {
            return drawingMa;
        }
        if (t >= rampEndNanos) {
            return targetMa;
        }
        double f = (double) (t - rampStartNanos) / (rampEndNanos - rampStartNanos);
        return rampFromMa + (targetMa - rampFromMa) * f;
    }

    private boolean contactorTarget() {
        if (contactorCommand) {
            return contactorFeedback || !faults.contains(SimFault.CONTACTOR_NO_CLOSE);
        }
        return contactorFeedback && faults.contains(SimFault.CONTACTOR_WELDED);
    }

    private void scheduleContactor(long now) {
        if (contactorTarget() == contactorFeedback) {
            contactorDueNanos = NONE;
        } else if (contactorDueNanos == NONE) {
            contactorDueNanos = now + CONTACTOR_TRAVEL_MILLIS * MS;
        }
    }

    private void commandContactorLocked(boolean closed) {
        if (closed == contactorCommand) {
            return;
        }
        contactorCommand = closed;
        emit(SimEvent.Kind.CONTACTOR_COMMANDED, closed ? "closed" : "open");
        scheduleContactor(clock.nanos());
    }

    private void setDutyLocked(PwmDuty d) {
        if (d.equals(duty)) {
            return;
        }
        duty = d;
        emit(SimEvent.Kind.PWM_CHANGED, String.valueOf(d.permille()));
        updateEv(clock.nanos());
    }

    // ---------------------------------------------------------------- inputs

    private CpState measuredLocked() {
        if (faults.contains(SimFault.CP_SHORT)) {
            return CpState.E;
        }
        if (duty.permille() == 0) {
            // The EVSE drives -12 V itself: there is no positive level to read.
            return CpState.F;
        }
        if (ev == null) {
            return CpState.A;
        }
        if (duty.oscillating() && (faults.contains(SimFault.DIODE_MISSING) || !ev.diodePresent())) {
            return CpState.F;
        }
        return evLevel;
    }

    private CableRating ppLocked() {
        return ev == null || faults.contains(SimFault.PP_REMOVED) ? CableRating.NONE : cable;
    }

    private RcdStatus rcdLocked() {
        if (faults.contains(SimFault.RCD_DC_6MA)) {
            return RcdStatus.TRIPPED_DC_6MA;
        }
        if (faults.contains(SimFault.RCD_AC_30MA)) {
            return RcdStatus.TRIPPED_AC_30MA;
        }
        return RcdStatus.OK;
    }

    private MeterReading meterLocked() {
        int ma = (int) Math.round(drawingAt(clock.nanos()));
        int evPhases = ev == null ? 0 : ev.phases();
        List<PhaseReading> phases = new ArrayList<>(METER_PHASES);
        for (int i = 0; i < METER_PHASES; i++) {
            int phaseMa = i < evPhases ? ma : 0;
            phases.add(new PhaseReading(Voltage.ofVolts(MAINS_VOLTS), new Current(phaseMa),
                    new Power((int) Math.round(MAINS_VOLTS * phaseMa / 1000.0))));
        }
        return new MeterReading(phases, new Energy((long) Math.floor(energyWh)));
    }

    /** The meter's import register with its fraction, for tests and summaries. */
    public double importedWattHoursExact() {
        return read(() -> energyWh);
    }

    private record Inputs(CpState pilot, CableRating pp, boolean contactorFeedback, boolean lockFeedback,
                          RcdStatus rcd, long wholeDegrees, boolean watchdogExpired) {
    }

    private Inputs inputsLocked() {
        return new Inputs(measuredLocked(), ppLocked(), contactorFeedback, lockFeedback, rcdLocked(),
                (long) Math.floor(temperatureCelsius + 1e-9), watchdogExpired);
    }

    // ---------------------------------------------------------------- locking and delivery

    private interface Supplier<T> {
        T get();
    }

    private <T> T read(Supplier<T> s) {
        synchronized (state) {
            return s.get();
        }
    }

    /** Runs a change under the lock, notes input edges, then delivers what happened outside the lock. */
    private void mutate(Runnable change) {
        synchronized (state) {
            Inputs before = inputsLocked();
            change.run();
            if (!inputsLocked().equals(before)) {
                inputChanges++;
                petsAtLastInputChange = watchdogPets;
                pending.add(InputEdge.INSTANCE);
            }
        }
        deliver();
    }

    private enum InputEdge {
        INSTANCE
    }

    private void emit(SimEvent.Kind kind, String detail) {
        pending.add(new SimEvent(clock.millis(), System.nanoTime(), kind, detail));
    }

    private void deliver() {
        while (true) {
            if (!dispatchLock.tryLock()) {
                // The thread holding it delivers our notices: it re-checks the queue after unlocking.
                return;
            }
            try {
                while (true) {
                    Object n;
                    synchronized (state) {
                        n = pending.poll();
                    }
                    if (n == null) {
                        break;
                    }
                    deliverOne(n);
                }
            } finally {
                dispatchLock.unlock();
            }
            synchronized (state) {
                if (pending.isEmpty()) {
                    return;
                }
            }
        }
    }

    private void deliverOne(Object n) {
        if (n instanceof SimEvent e) {
            for (SimListener l : simListeners) {
                try {
                    l.onSimEvent(e);
                } catch (RuntimeException ex) {
                    LOG.error("sim listener {} failed on {}", l, e, ex);
                }
            }
        } else {
            for (Runnable l : inputListeners) {
                try {
                    l.run();
                } catch (RuntimeException ex) {
                    LOG.error("board input listener {} failed", l, ex);
                }
            }
        }
    }

    // ---------------------------------------------------------------- parts

    private final class SimPilot implements ControlPilot {
        @Override
        public void setDuty(PwmDuty d) {
            Objects.requireNonNull(d, "duty");
            mutate(() -> setDutyLocked(d));
        }

        @Override
        public PwmDuty duty() {
            return read(() -> duty);
        }

        @Override
        public CpState measuredState() {
            return read(SimulatedBoard.this::measuredLocked);
        }
    }

    private final class SimContactor implements Contactor {
        @Override
        public void command(boolean closed) {
            mutate(() -> {
                commandContactorLocked(closed);
                updateEv(clock.nanos());
            });
        }

        @Override
        public boolean commandedClosed() {
            return read(() -> contactorCommand);
        }

        @Override
        public boolean feedbackClosed() {
            return read(() -> contactorFeedback);
        }
    }

    private final class SimLock implements CableLock {
        @Override
        public void command(boolean locked) {
            mutate(() -> {
                if (locked != lockCommand) {
                    lockCommand = locked;
                    lockDueNanos = clock.nanos() + CONTACTOR_TRAVEL_MILLIS * MS;
                }
            });
        }

        @Override
        public boolean feedbackLocked() {
            return read(() -> lockFeedback);
        }
    }

    private final class SimRcd implements RcdMonitor {
        @Override
        public RcdStatus status() {
            return read(SimulatedBoard.this::rcdLocked);
        }

        @Override
        public boolean selfTest() {
            return read(() -> !faults.contains(SimFault.RCD_DC_6MA) && !faults.contains(SimFault.RCD_AC_30MA));
        }
    }

    private final class SimIndicator implements Indicator {
        @Override
        public void show(IndicatorState s) {
            Objects.requireNonNull(s, "indicator state");
            synchronized (state) {
                indicator = s;
            }
        }

        @Override
        public IndicatorState showing() {
            return read(() -> indicator);
        }
    }

    private final class SimWatchdog implements HardwareWatchdog {
        @Override
        public void arm(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("watchdog timeout " + timeout + " must be positive");
            }
            mutate(() -> {
                watchdogArmed = true;
                watchdogTimeoutNanos = timeout.toNanos();
                watchdogLastPetNanos = clock.nanos();
                watchdogExpired = false;
            });
        }

        @Override
        public void pet() {
            synchronized (state) {
                watchdogLastPetNanos = clock.nanos();
                watchdogPets++;
                state.notifyAll();
            }
        }

        @Override
        public void disarm() {
            synchronized (state) {
                watchdogArmed = false;
            }
        }

        @Override
        public boolean expired() {
            return read(() -> watchdogExpired);
        }
    }

    @Override
    public String toString() {
        return read(() -> "SimulatedBoard[t=" + clock.millis() + " ms, pilot=" + measuredLocked() + ", duty=" + duty
                + ", contactor=" + contactorCommand + "/" + contactorFeedback + ", ev=" + (ev == null ? "none" : ev.name())
                + ", faults=" + faults + "]");
    }
}
