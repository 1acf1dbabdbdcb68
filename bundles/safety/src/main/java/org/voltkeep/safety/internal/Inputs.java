package org.voltkeep.safety.internal;

import java.util.Objects;

import org.voltkeep.hal.Board;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.MeterReading;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;
import org.voltkeep.hal.Temperature;

/**
 * Everything one control cycle knows about the board, read once at the start of the
 * cycle so every rule of the cycle sees the same world.
 *
 * @param boardMillis        board time of the snapshot
 * @param pilot              the measured control pilot level
 * @param pwm                the duty the pilot is driven with now (decides what a measured F means)
 * @param cable              the proximity pilot's cable rating
 * @param contactorCommanded the command the board holds
 * @param contactorFeedback  the auxiliary contact
 * @param rcd                residual current monitor
 * @param temperature        hottest monitored point
 * @param meter              meter snapshot
 * @param watchdogExpired    the board reports a hardware watchdog expiry
 * @param hardwareRating     the board's power path rating
 */
public record Inputs(
        long boardMillis,
        CpState pilot,
        PwmDuty pwm,
        CableRating cable,
        boolean contactorCommanded,
        boolean contactorFeedback,
        RcdStatus rcd,
        Temperature temperature,
        MeterReading meter,
        boolean watchdogExpired,
        Current hardwareRating) {

    public Inputs {
        Objects.requireNonNull(pilot, "pilot");
        Objects.requireNonNull(pwm, "pwm");
        Objects.requireNonNull(cable, "cable");
        Objects.requireNonNull(rcd, "rcd");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(hardwareRating, "hardwareRating");
    }

    /** Reads the snapshot; any exception from the board aborts the cycle. */
    public static Inputs read(Board board) {
        return new Inputs(
                board.clock().millis(),
                board.controlPilot().measuredState(),
                board.controlPilot().duty(),
                board.proximityPilot().cableRating(),
                board.contactor().commandedClosed(),
                board.contactor().feedbackClosed(),
                board.rcdMonitor().status(),
                board.temperatureSensor().temperature(),
                board.meter().read(),
                board.watchdog().expired(),
                board.hardwareRating());
    }

    public long meterWh() {
        return meter.importedEnergy().wattHours();
    }
}
