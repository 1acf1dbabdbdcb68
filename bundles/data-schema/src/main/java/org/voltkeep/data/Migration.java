package org.voltkeep.data;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One breaking step of a store's format, from one major version to the next.
 *
 * <p>{@link #migrate} reads the store as it was ({@code source}: the kept copy,
 * which it must never change) and writes the new form into {@code target}, an empty
 * directory. {@link DataStore} writes {@code schema.json} into the target, forces
 * everything to disk and puts the target in place with one rename. A step may be
 * run again from the start after a power cut, so it must depend on nothing but its
 * source.
 */
@ConsumerType
public interface Migration {

    int fromMajor();

    /** Always {@code fromMajor() + 1}: steps are applied one major at a time. */
    int toMajor();

    void migrate(Path source, Path target) throws IOException;

    /** What a step does to the files, for {@link #of}. */
    @FunctionalInterface
    interface Transform {
        void apply(Path source, Path target) throws IOException;
    }

    /** A migration from {@code fromMajor} to {@code toMajor} made of one transform. */
    static Migration of(int fromMajor, int toMajor, Transform transform) {
        record Step(int fromMajor, int toMajor, Transform transform) implements Migration {
            @Override
            public void migrate(Path source, Path target) throws IOException {
                transform.apply(source, target);
            }
        }
        return new Step(fromMajor, toMajor, transform);
    }
}
