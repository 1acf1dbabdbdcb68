package org.voltkeep.data;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of each change {@link DataStore#open} makes, right after it is on disk. */
@ConsumerType
@FunctionalInterface
public interface StoreListener {
    StoreListener NONE = change -> { };

    void changed(StoreChange change);
}
