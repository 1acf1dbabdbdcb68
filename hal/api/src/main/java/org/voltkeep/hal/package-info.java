/**
 * The board contract: everything the safety domain reads from and drives on a
 * charger's hardware, with units in the types. Two implementations exist: the
 * simulated board and the Pi4J board. Only the safety domain may open a board.
 *
 * <p>Invariants every implementation keeps (each has a test that tries to break it):
 * <ul>
 * <li>A board powers up with the contactor commanded open, the PWM off
 *     ({@link PwmDuty#STATE_A_HIGH} is not emitted until told) and the lock open.</li>
 * <li>{@link Contactor#feedbackClosed()} reports the auxiliary contact, never the command.</li>
 * <li>Input changes (CP level, RCD, PP, contactor feedback, temperature thresholds)
 *     are announced to {@link Board#onInputChange(Runnable)} listeners without delay,
 *     so the safety loop reacts to edges rather than waiting for its next period.</li>
 * </ul>
 */
@Export
@Version("1.0.0")
package org.voltkeep.hal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
