/**
 * The simulator's control service in the safety domain: the simulated board, the
 * runner that moves its time, and the control socket that plays scenarios.
 */
@Export
@Version("1.0.0")
package org.voltkeep.sim.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
