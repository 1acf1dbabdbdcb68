package org.voltkeep.safety.internal;

import org.voltkeep.hal.sim.SimulatedBoard;

final class SimRigConstants {
    /** Contactor and lock travel on the simulated board. */
    static final long TRAVEL_MILLIS = SimulatedBoard.CONTACTOR_TRAVEL_MILLIS;

    private SimRigConstants() {
    }
}
