/**
 * The charging vocabulary shared by both domains, and the application domain's
 * contract for charging control ({@link ChargingService}). Nothing here refers to
 * hardware: network-facing bundles use this package and never the board contract.
 */
@Export
@Version("1.0.0")
package org.voltkeep.charging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
