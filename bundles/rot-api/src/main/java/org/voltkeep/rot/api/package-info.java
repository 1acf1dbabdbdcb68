/**
 * The root-of-trust contract: trust anchors that are read-only after provisioning,
 * strict signature verification, a device identity key that signs and never leaves
 * its store, monotonic counters (anti-rollback floors), signer roles and the
 * provisioning vocabulary.
 *
 * <p>Plain Java on purpose: the launcher uses it before any OSGi framework runs.
 * Backends ({@code soft}, {@code pkcs11}) implement {@link org.voltkeep.rot.api.RootOfTrustBackend}.
 */
@Export
@Version("1.0.0")
package org.voltkeep.rot.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
