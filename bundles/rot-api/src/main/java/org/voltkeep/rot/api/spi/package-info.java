/**
 * Helpers for root-of-trust backend implementers (atomic files, the self-signed
 * placeholder certificate and PKCS#10 requests built with a key that never leaves its
 * store). Not needed by consumers of {@link org.voltkeep.rot.api.RootOfTrust}.
 */
@Export
@Version("1.0.0")
package org.voltkeep.rot.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
