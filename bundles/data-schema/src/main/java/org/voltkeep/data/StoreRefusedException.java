package org.voltkeep.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A store this code must not read or write as it is: of a version it does not
 * read (with no kept copy to return to), older than it can migrate, another
 * store's directory, or with a damaged {@code schema.json}. Nothing was changed.
 */
public final class StoreRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String store;
    private final transient Path path;

    public StoreRefusedException(String store, Path path, String message) {
        super(message);
        this.store = Objects.requireNonNull(store, "store");
        this.path = Objects.requireNonNull(path, "path");
    }

    public String store() {
        return store;
    }

    /** The file or directory the refusal is about. */
    public Path path() {
        return path;
    }
}
