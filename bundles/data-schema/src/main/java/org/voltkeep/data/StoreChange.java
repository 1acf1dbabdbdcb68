package org.voltkeep.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One change {@link DataStore#open} made to a store, in the order made. Owners log
 * them; a store that has a log of its own (the security log) records them there.
 *
 * @param kind    what was done
 * @param store   the store's name
 * @param path    the directory concerned: the store, a kept copy or a set-aside store
 * @param version the version concerned (written, kept, migrated to, set aside, returned to)
 * @param detail  one sentence for people
 */
public record StoreChange(Kind kind, String store, Path path, SchemaVersion version, String detail) {

    public enum Kind {
        /** A new, empty store was made. */
        CREATED,
        /** The store's version was written down (it had none, or a lower minor). */
        VERSION_RECORDED,
        /** The store was kept as it was, under its kept-copy name, before a migration. */
        KEPT,
        /** A migration step was committed: the store is now of {@code version}. */
        MIGRATED,
        /** A store (or kept copy) this code does not read was moved aside; it is never deleted. */
        SET_ASIDE,
        /** A kept copy became the store again (a rollback to an older image). */
        RESTORED
    }

    public StoreChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(detail, "detail");
    }

    public String describe() {
        return "data store " + store + ": " + detail;
    }
}
