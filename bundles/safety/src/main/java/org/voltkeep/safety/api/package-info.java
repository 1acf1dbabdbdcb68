/**
 * The safety controller's contract inside the safety domain. The link server and
 * the simulator's control socket use it; nothing outside the safety domain does.
 */
@Export
@Version("1.0.0")
package org.voltkeep.safety.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
