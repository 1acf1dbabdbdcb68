package org.voltkeep.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A store ready for its owner.
 *
 * @param store   the store's name
 * @param dir     its directory (always the same path: migrations and returns rename into it)
 * @param version the version recorded now; a higher minor than the owner's when a newer image wrote it
 * @param changes what this open changed, in order; empty when the store was already as wanted
 */
public record OpenedStore(String store, Path dir, SchemaVersion version, List<StoreChange> changes) {
    public OpenedStore {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(version, "version");
        changes = List.copyOf(changes);
    }
}
