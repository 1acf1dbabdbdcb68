/**
 * Signed images: one ZIP file with a manifest, its detached CMS signature, signed
 * bundle JARs, configuration defaults and a CycloneDX SBOM. {@link org.voltkeep.image.ImageBuilder}
 * builds and signs one, {@link org.voltkeep.image.ImageResigner} signs an existing one's
 * manifest anew (a release step), {@link org.voltkeep.image.ImageVerifier} checks one completely
 * before any of its bundles may be installed, {@link org.voltkeep.image.PinnedImage} hands a
 * domain its bundles of an image verified before (by hash, against the verified manifest),
 * and {@link org.voltkeep.image.DevPki}
 * makes a development PKI for desks, tests and the build.
 *
 * <p>Plain Java on purpose: the launcher uses it before any OSGi framework runs.
 */
@Export
@Version("2.0.0")
package org.voltkeep.image;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
