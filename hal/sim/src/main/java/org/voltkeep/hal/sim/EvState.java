package org.voltkeep.hal.sim;

import org.voltkeep.hal.CpState;

/**
 * What the simulated vehicle does now.
 *
 * @param plugged           a vehicle is connected
 * @param pilot             the level the vehicle presents on the pilot (A when none is plugged),
 *                          not what the board measures (faults can change that)
 * @param socPercent        battery state of charge
 * @param drawingMilliamps  current per phase the vehicle draws now
 * @param full              the vehicle reached its target state of charge
 * @param paused            the vehicle itself asked to pause
 */
public record EvState(boolean plugged, CpState pilot, double socPercent, int drawingMilliamps, boolean full, boolean paused) {
}
