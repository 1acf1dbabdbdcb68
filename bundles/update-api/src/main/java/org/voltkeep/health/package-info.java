/**
 * Health checks: a whiteboard of {@link HealthCheck} services. The launcher's trial
 * boot of a new slot asks the application domain for its health (control socket
 * {@code health}); an image adds checks of its own by shipping bundles that
 * register {@code HealthCheck} services.
 */
@Export
@Version("1.0.0")
package org.voltkeep.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
