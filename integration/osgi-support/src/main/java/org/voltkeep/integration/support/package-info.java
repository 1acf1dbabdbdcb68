/** Checks shared by the in-framework tests of both domains. */
@Export
@Version("1.0.0")
package org.voltkeep.integration.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
