package org.voltkeep.hal.sim;

import java.util.Objects;

/**
 * How a simulated vehicle behaves.
 *
 * @param name                 a label for logs and events
 * @param maxCurrentMilliamps  the most the vehicle draws per phase, 1..80000
 * @param phases               phases the on-board charger uses, 1..3
 * @param batteryWh            usable battery capacity, at least 1
 * @param initialSocPercent    state of charge at plug-in, 0..100
 * @param targetSocPercent     the vehicle stops charging (full) at this state of charge, 0..100
 * @param diodePresent         false simulates a vehicle without the pilot diode
 * @param requestsVentilation  the vehicle asks for D instead of C
 * @param reactionMillis       how long the vehicle takes to answer a pilot change, 0..5000
 *                             (IEC 61851-1 allows up to 5 s; simulated cars are quicker)
 */
public record EvProfile(String name, int maxCurrentMilliamps, int phases, long batteryWh,
                        int initialSocPercent, int targetSocPercent, boolean diodePresent,
                        boolean requestsVentilation, int reactionMillis) {

    public EvProfile {
        Objects.requireNonNull(name, "name");
        if (maxCurrentMilliamps < 1 || maxCurrentMilliamps > 80_000) {
            throw new IllegalArgumentException("EV '" + name + "': max current " + maxCurrentMilliamps + " mA is outside 1..80000");
        }
        if (phases < 1 || phases > 3) {
            throw new IllegalArgumentException("EV '" + name + "': phases " + phases + " is outside 1..3");
        }
        if (batteryWh < 1) {
            throw new IllegalArgumentException("EV '" + name + "': battery " + batteryWh + " Wh must be at least 1 Wh");
        }
        if (initialSocPercent < 0 || initialSocPercent > 100) {
            throw new IllegalArgumentException("EV '" + name + "': initial SoC " + initialSocPercent + " % is outside 0..100");
        }
        if (targetSocPercent < 0 || targetSocPercent > 100) {
            throw new IllegalArgumentException("EV '" + name + "': target SoC " + targetSocPercent + " % is outside 0..100");
        }
        if (reactionMillis < 0 || reactionMillis > 5000) {
            throw new IllegalArgumentException("EV '" + name + "': reaction " + reactionMillis + " ms is outside 0..5000");
        }
    }

    /** 16 A on 3 phases, 4000 Wh battery charged from 50 % to 100 %, diode present, no ventilation, 500 ms reaction. */
    public static EvProfile standard() {
        return new EvProfile("standard", 16_000, 3, 4000, 50, 100, true, false, 500);
    }

    public EvProfile withName(String n) {
        return new EvProfile(n, maxCurrentMilliamps, phases, batteryWh, initialSocPercent, targetSocPercent,
                diodePresent, requestsVentilation, reactionMillis);
    }
}
