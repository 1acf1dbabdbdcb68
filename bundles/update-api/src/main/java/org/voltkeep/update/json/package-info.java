/** The JSON form of update statuses and slots, used by the control socket, the state file and the command line. */
@Export
@Version("1.0.0")
package org.voltkeep.update.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
