/**
 * Versions and migrations of the stores in a device's data directory (what
 * survives updates and rollbacks). Each store is one directory with a
 * {@code schema.json} naming its store and its version; {@link DataStore#open}
 * brings a store to the version the calling code reads: it records the version,
 * runs {@link Migration}s one major at a time (keeping a copy of the store before
 * each), or returns to a kept copy when the store was written by a newer image.
 * Every step is atomic and is finished by the next open after a power cut.
 *
 * <p>A plain library as well as a bundle: the launcher uses it before any
 * framework runs, and each domain's store owners use it inside theirs.
 */
@Export
@Version("1.0.0")
package org.voltkeep.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
