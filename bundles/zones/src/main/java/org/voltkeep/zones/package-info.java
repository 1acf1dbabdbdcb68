/**
 * Zones inside a domain. {@link org.voltkeep.zones.ZonePolicy} is the parsed zone
 * policy of one domain (which zones it accepts, and per zone which packages,
 * capabilities, services and bundles of which origin a bundle may wire to and see);
 * {@link org.voltkeep.zones.ZoneGuard} registers the OSGi framework hooks that enforce
 * it on the system bundle, before any bundle is installed, and is the only way a
 * bundle gets a zone.
 *
 * <p>Plain Java and the OSGi framework API: the launcher uses it around the framework
 * it embeds; no bundle needs it at run time.
 */
@Export
@Version("1.0.0")
package org.voltkeep.zones;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
