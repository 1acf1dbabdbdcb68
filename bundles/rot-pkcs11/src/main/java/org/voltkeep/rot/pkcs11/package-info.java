/**
 * The PKCS#11 root-of-trust backend, through the JDK's SunPKCS11 provider: the device
 * key is generated inside the token and never leaves it; the token also guards the
 * anchors' fingerprint, the trust mode and the monotonic counters.
 */
@Export
@Version("1.0.0")
package org.voltkeep.rot.pkcs11;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
