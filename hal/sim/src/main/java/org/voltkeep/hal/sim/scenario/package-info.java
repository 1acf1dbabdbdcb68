/**
 * Scripted scenarios for the simulated board: the JSON file format
 * ({@link org.voltkeep.hal.sim.scenario.ScenarioParser}), the player that applies
 * physical actions and hands operator actions out as cues
 * ({@link org.voltkeep.hal.sim.scenario.ScenarioPlayer}), and the recorder that
 * measures a run and checks its expectations
 * ({@link org.voltkeep.hal.sim.scenario.ScenarioRecorder}).
 */
@Export
@Version("1.0.0")
package org.voltkeep.hal.sim.scenario;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
