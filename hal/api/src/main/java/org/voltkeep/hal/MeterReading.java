package org.voltkeep.hal;

import java.util.List;

/** A consistent snapshot of the energy meter: per-phase values and the import register. */
public record MeterReading(List<PhaseReading> phases, Energy importedEnergy) {
    public MeterReading {
        phases = List.copyOf(phases);
    }

    public Power totalPower() {
        int w = 0;
        for (PhaseReading p : phases) {
            w += p.power().watts();
        }
        return new Power(w);
    }

    /** The largest phase current, the one that matters for limits. */
    public Current maxPhaseCurrent() {
        Current max = Current.ZERO;
        for (PhaseReading p : phases) {
            if (p.current().compareTo(max) > 0) {
                max = p.current();
            }
        }
        return max;
    }
}
