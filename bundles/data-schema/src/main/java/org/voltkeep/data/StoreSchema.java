package org.voltkeep.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one store's code reads and writes: the store's name (as recorded in its
 * {@code schema.json}), the version it writes, the migrations that bring older
 * majors up to it, and what to do with a store a newer image wrote.
 *
 * @param store      the store's name, e.g. {@code sessions}
 * @param current    the version this code writes; it reads every minor of this major
 * @param migrations one per major from the oldest it migrates up to {@code current.major()}, in order
 * @param onNewer    what to do when the store is of a major newer than {@code current}
 */
public record StoreSchema(String store, SchemaVersion current, List<Migration> migrations, OnNewerMajor onNewer) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    /** What a reader does with a store of a major version it does not read. */
    public enum OnNewerMajor {
        /**
         * Set the newer store aside (it is never deleted) and return to the kept copy
         * of the major this code reads; refuse when there is none.
         */
        RETURN_TO_KEPT_COPY,
        /**
         * Refuse and change nothing, even when a kept copy exists: for stores where an
         * older copy could be unsafe (latched safety faults the newer image recorded
         * after its migration would be forgotten).
         */
        REFUSE
    }

    public StoreSchema {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(onNewer, "onNewer");
        if (!NAME.matcher(store).matches()) {
            throw new IllegalArgumentException("store name '" + store + "' must be 1 to 40 of a-z, 0-9 and '-', starting with a letter");
        }
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort(Comparator.comparingInt(Migration::fromMajor));
        int expectedTo = current.major();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Migration m = sorted.get(i);
            if (m.toMajor() != m.fromMajor() + 1) {
                throw new IllegalArgumentException("store " + store + ": migration " + m.fromMajor() + " -> " + m.toMajor()
                        + " skips a major; each step goes from one major to the next");
            }
            if (m.toMajor() != expectedTo) {
                throw new IllegalArgumentException("store " + store + ": migrations must lead without a gap to major "
                        + current.major() + "; expected a step to " + expectedTo + ", found " + m.fromMajor() + " -> " + m.toMajor());
            }
            expectedTo = m.fromMajor();
        }
        migrations = List.copyOf(sorted);
    }

    /** A store that returns to its kept copy when a newer image wrote it. */
    public static StoreSchema of(String store, SchemaVersion current, Migration... migrations) {
        return new StoreSchema(store, current, List.of(migrations), OnNewerMajor.RETURN_TO_KEPT_COPY);
    }

    /** The oldest major this code can bring up to {@link #current()}. */
    public int oldestMajor() {
        return migrations.isEmpty() ? current.major() : migrations.get(0).fromMajor();
    }

    public Optional<Migration> migrationFrom(int major) {
        return migrations.stream().filter(m -> m.fromMajor() == major).findFirst();
    }

    /** "major 1" or "majors 1 to 3", for messages. */
    String readsText() {
        return oldestMajor() == current.major() ? "major " + current.major()
                : "majors " + oldestMajor() + " to " + current.major();
    }
}
