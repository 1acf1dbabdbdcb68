package org.voltkeep.sim.control;

import java.nio.file.Path;

import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;

/**
 * The running simulator of this safety domain. The same board is registered as
 * the {@link org.voltkeep.hal.Board} service the safety controller uses; this
 * interface gives in-framework tests and tools its simulator side.
 */
public interface SimControl {
    SimulatedBoard board();

    SimulationRunner runner();

    /** Where the JSON-lines control socket listens. */
    Path socketPath();
}
