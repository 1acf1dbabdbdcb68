/**
 * Charging session records of the application domain: one record per session
 * that safety reports, kept across restarts of the domain.
 */
@Export
@Version("1.0.0")
package org.voltkeep.sessions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
