package org.voltkeep.hal.sim.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimListener;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.TickListener;

/**
 * Measures a run of the simulated board: energy, peak current, contactor closures,
 * and for every injected fault how long (board and wall time) until the contactor
 * was commanded open. Fed with safety's statuses ({@link #onStatus}), it also knows
 * which faults safety reported, its last state and its link fallback, and checks a
 * scenario's {@link Expectations}. The current during a link fallback is measured on
 * the meter from {@link #FALLBACK_GRACE} after the fallback began, while the pilot
 * still offers what safety's last status reported.
 *
 * <p>Thread-safe: sim events, ticks and statuses may come from different threads.
 */
public final class ScenarioRecorder implements SimListener, TickListener {
    /**
     * How long after the link fallback began the current is not yet held against
     * its limit: IEC 61851-1 gives a vehicle 5 s to follow a lower duty.
     */
    public static final Duration FALLBACK_GRACE = Duration.ofSeconds(5);

    private final SimulatedBoard board;

    // Guarded by `this`.
    private boolean started;
    private long startMillis;
    private double startWh;
    private int peakMa;
    private int closures;
    private boolean watchdogExpired;
    private boolean commandedClosed;
    private final List<Pending> faults = new ArrayList<>();
    private final Set<Fault> faultsSeen = EnumSet.noneOf(Fault.class);
    private ChargerState lastState;
    private long statusCount;
    private boolean fallbackSeen;
    private long fallbackSinceMillis = -1;
    private int maxFallbackMa = -1;
    private int lastStatusPwm = -1;

    private static final class Pending {
        final SimFault fault;
        final long atMillis;
        final long atWallNanos;
        final boolean wasClosed;
        long openAfterMillis = -1;
        long reactionMicros = -1;

        Pending(SimFault fault, long atMillis, long atWallNanos, boolean wasClosed) {
            this.fault = fault;
            this.atMillis = atMillis;
            this.atWallNanos = atWallNanos;
            this.wasClosed = wasClosed;
        }
    }

    public ScenarioRecorder(SimulatedBoard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    /** Starts recording at the board's current time. */
    public void start() {
        synchronized (this) {
            started = true;
            startMillis = board.clock().millis();
            startWh = board.importedWattHoursExact();
            commandedClosed = board.contactor().commandedClosed();
            peakMa = board.meter().read().maxPhaseCurrent().milliamps();
        }
        board.addSimListener(this);
    }

    public void close() {
        board.removeSimListener(this);
    }

    @Override
    public void onSimEvent(SimEvent e) {
        sampleCurrent();
        synchronized (this) {
            switch (e.kind()) {
                case FAULT_INJECTED -> faults.add(new Pending(SimFault.valueOf(e.detail()), e.boardMillis(), e.wallNanos(),
                        commandedClosed));
                case CONTACTOR_COMMANDED -> {
                    boolean closed = "closed".equals(e.detail());
                    if (commandedClosed && !closed) {
                        for (Pending p : faults) {
                            if (p.wasClosed && p.openAfterMillis < 0) {
                                p.openAfterMillis = e.boardMillis() - p.atMillis;
                                p.reactionMicros = Math.max(0, (e.wallNanos() - p.atWallNanos) / 1000);
                            }
                        }
                    }
                    commandedClosed = closed;
                }
                case CONTACTOR_FEEDBACK -> {
                    if ("closed".equals(e.detail())) {
                        closures++;
                    }
                }
                case WATCHDOG_EXPIRED -> watchdogExpired = true;
                default -> {
                }
            }
        }
    }

    @Override
    public void onTick() {
        sampleCurrent();
    }

    /** Feed every status safety reports. */
    public void onStatus(ChargerStatus s) {
        Objects.requireNonNull(s, "status");
        synchronized (this) {
            statusCount++;
            lastState = s.state();
            lastStatusPwm = s.pwmPermille();
            faultsSeen.addAll(s.activeFaults());
            if (s.link() == LinkState.SILENT_FALLBACK) {
                fallbackSeen = true;
                if (fallbackSinceMillis < 0) {
                    fallbackSinceMillis = s.boardMillis();
                }
            } else {
                fallbackSinceMillis = -1;
            }
        }
        sampleCurrent();
    }

    private void sampleCurrent() {
        int ma = board.meter().read().maxPhaseCurrent().milliamps();
        int pwm = board.controlPilot().duty().permille();
        long now = board.clock().millis();
        synchronized (this) {
            if (!started) {
                return;
            }
            peakMa = Math.max(peakMa, ma);
            if (fallbackSinceMillis >= 0) {
                maxFallbackMa = Math.max(maxFallbackMa, 0);
                // Only while the pilot still offers what safety's last (fallback) status
                // says: when the link comes back safety changes the PWM first and its new
                // status arrives here a moment later.
                if (now - fallbackSinceMillis >= FALLBACK_GRACE.toMillis() && pwm == lastStatusPwm) {
                    maxFallbackMa = Math.max(maxFallbackMa, ma);
                }
            }
        }
    }

    public RunSummary summary() {
        sampleCurrent();
        long now = board.clock().millis();
        double wh = board.importedWattHoursExact();
        boolean open = !board.contactor().commandedClosed() && !board.contactor().feedbackClosed();
        synchronized (this) {
            List<FaultRecord> records = new ArrayList<>();
            for (Pending p : faults) {
                records.add(new FaultRecord(p.fault, p.atMillis, p.wasClosed,
                        p.openAfterMillis < 0 ? OptionalLong.empty() : OptionalLong.of(p.openAfterMillis),
                        p.reactionMicros < 0 ? OptionalLong.empty() : OptionalLong.of(p.reactionMicros)));
            }
            return new RunSummary(startMillis, now - startMillis, Math.round(wh - startWh), peakMa, records, closures,
                    watchdogExpired, open, Optional.ofNullable(lastState), faultsSeen, fallbackSeen,
                    maxFallbackMa < 0 ? OptionalInt.empty() : OptionalInt.of(maxFallbackMa), statusCount);
        }
    }

    /** Checks the run so far against {@code e}. */
    public Verdict check(Expectations e) {
        return check(e, summary());
    }

    /** Checks a summary against expectations; each failure names the expectation and what was measured. */
    public static Verdict check(Expectations e, RunSummary s) {
        List<String> failures = new ArrayList<>();
        e.finalState().ifPresent(want -> {
            if (s.finalState().isEmpty()) {
                failures.add("finalState: expected " + want + " but safety reported no status");
            } else if (s.finalState().get() != want) {
                failures.add("finalState: expected " + want + ", safety ended in " + s.finalState().get());
            }
        });
        e.faults().ifPresent(want -> {
            if (!want.equals(s.faultsSeen())) {
                failures.add("faults: expected " + (want.isEmpty() ? "none" : sorted(want)) + ", safety reported "
                        + (s.faultsSeen().isEmpty() ? "none" : sorted(s.faultsSeen())));
            }
        });
        e.minEnergyWh().ifPresent(min -> {
            if (s.energyWh() < min) {
                failures.add("minEnergyWh: expected at least " + min + " Wh, delivered " + s.energyWh() + " Wh");
            }
        });
        e.maxEnergyWh().ifPresent(max -> {
            if (s.energyWh() > max) {
                failures.add("maxEnergyWh: expected at most " + max + " Wh, delivered " + s.energyWh() + " Wh");
            }
        });
        e.maxReactionMillis().ifPresent(max -> {
            for (FaultRecord f : s.faultsInjected()) {
                if (!f.contactorWasClosed() || !f.fault().affectsInputsAtOnce()) {
                    continue;
                }
                if (f.contactorOpenCommandAfterMillis().isEmpty()) {
                    failures.add("maxReactionMillis: " + f.fault() + " at " + f.atMillis()
                            + " ms with the contactor closed, and no open command followed");
                } else if (f.contactorOpenCommandAfterMillis().getAsLong() > max) {
                    failures.add("maxReactionMillis: " + f.fault() + " at " + f.atMillis() + " ms: contactor commanded open after "
                            + f.contactorOpenCommandAfterMillis().getAsLong() + " ms, more than " + max + " ms");
                }
            }
        });
        e.contactorOpenAtEnd().ifPresent(want -> {
            if (s.contactorOpen() != want) {
                failures.add("contactorOpenAtEnd: expected " + want + ", the contactor is " + (s.contactorOpen() ? "open" : "not open"));
            }
        });
        e.linkFallbackSeen().ifPresent(want -> {
            if (s.linkFallbackSeen() != want) {
                failures.add("linkFallbackSeen: expected " + want + ", safety " + (s.linkFallbackSeen() ? "did" : "never")
                        + " reported the link silent");
            }
        });
        e.maxCurrentAmpsDuringFallback().ifPresent(maxA -> {
            if (s.maxFallbackMilliamps().isPresent() && s.maxFallbackMilliamps().getAsInt() > maxA * 1000) {
                failures.add("maxCurrentAmpsDuringFallback: expected at most " + maxA + " A, measured "
                        + s.maxFallbackMilliamps().getAsInt() + " mA in fallback");
            }
        });
        return new Verdict(failures);
    }

    private static List<Fault> sorted(Set<Fault> faults) {
        return faults.stream().sorted().toList();
    }
}
