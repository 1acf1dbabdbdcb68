/**
 * Firmware updates of the charger as the application domain sees them: start an
 * update from a file or an https URL, follow its status (named after OCPP's
 * FirmwareStatus), and read the launcher's view of the A/B slots.
 */
@Export
@Version("1.0.0")
package org.voltkeep.update;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
