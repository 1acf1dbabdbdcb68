package org.voltkeep.safety.internal;

import org.voltkeep.hal.Board;
import org.voltkeep.hal.BoardClock;
import org.voltkeep.hal.CableLock;
import org.voltkeep.hal.Contactor;
import org.voltkeep.hal.ControlPilot;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.EnergyMeter;
import org.voltkeep.hal.HardwareWatchdog;
import org.voltkeep.hal.Indicator;
import org.voltkeep.hal.ProximityPilot;
import org.voltkeep.hal.RcdMonitor;
import org.voltkeep.hal.TemperatureSensor;

/** A board whose meter can be made to fail, around a working board. */
final class FlakyBoard implements Board {
    private final Board real;
    volatile boolean meterFails;

    FlakyBoard(Board real) {
        this.real = real;
    }

    @Override
    public String kind() {
        return "flaky-" + real.kind();
    }

    @Override
    public BoardClock clock() {
        return real.clock();
    }

    @Override
    public ControlPilot controlPilot() {
        return real.controlPilot();
    }

    @Override
    public ProximityPilot proximityPilot() {
        return real.proximityPilot();
    }

    @Override
    public Contactor contactor() {
        return real.contactor();
    }

    @Override
    public CableLock cableLock() {
        return real.cableLock();
    }

    @Override
    public RcdMonitor rcdMonitor() {
        return real.rcdMonitor();
    }

    @Override
    public EnergyMeter meter() {
        return () -> {
            if (meterFails) {
                throw new IllegalStateException("meter does not answer on the bus");
            }
            return real.meter().read();
        };
    }

    @Override
    public TemperatureSensor temperatureSensor() {
        return real.temperatureSensor();
    }

    @Override
    public Indicator indicator() {
        return real.indicator();
    }

    @Override
    public HardwareWatchdog watchdog() {
        return real.watchdog();
    }

    @Override
    public Current hardwareRating() {
        return real.hardwareRating();
    }

    @Override
    public void onInputChange(Runnable listener) {
        real.onInputChange(listener);
    }

    @Override
    public void removeInputListener(Runnable listener) {
        real.removeInputListener(listener);
    }
}
