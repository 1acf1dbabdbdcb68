/**
 * The simulated board: a full implementation of the board contract with an EV
 * that answers the control pilot like a car does, an energy meter, contactor
 * mechanics, fault injection and a hardware watchdog, all on a board clock that
 * can run faster than wall time ({@link org.voltkeep.hal.sim.SimulationRunner}).
 * Usable in plain JUnit without any OSGi framework.
 */
@Export
@Version("1.0.0")
package org.voltkeep.hal.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
