/**
 * The software root-of-trust backend: key store files under the device's {@code rot/}
 * directory. For desks and the simulator only; it says so in every description.
 */
@Export
@Version("1.0.0")
package org.voltkeep.rot.soft;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
