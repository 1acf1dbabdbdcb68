/**
 * The PKCS#11 root-of-trust backend, through the JDK's SunPKCS11 provider: the device
 * key is generated inside the token and never leaves it; the token also guards the
 * anchors' fingerprint, the trust mode and the monotonic counters. {@link
 * org.voltkeep.rot.pkcs11.Pkcs11KeyStore} opens the same kind of token for tools that
 * sign with keys kept on it (release pipelines).
 */
@Export
@Version("1.1.0")
package org.voltkeep.rot.pkcs11;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
