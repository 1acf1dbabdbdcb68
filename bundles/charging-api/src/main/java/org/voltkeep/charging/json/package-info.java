/** The JSON form of the charging vocabulary, used by the control sockets and the command line. */
@Export
@Version("1.0.0")
package org.voltkeep.charging.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
