/**
 * Attestation: a report of what a device booted (slot, image, manifest and bundle
 * hashes, boot counter, root of trust, trust mode, a verifier's nonce), signed by the
 * device identity key, and the verification of such a report by a relying party.
 * Plain Java: the launcher uses it before any framework runs.
 */
@Export
@Version("1.0.0")
package org.voltkeep.attestation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
