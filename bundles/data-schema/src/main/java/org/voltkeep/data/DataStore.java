package org.voltkeep.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.voltkeep.data.StoreChange.Kind;
import org.voltkeep.data.internal.SchemaFile;
import org.voltkeep.data.internal.StoreFiles;

/**
 * Opens a store of the data directory at the version its code reads.
 *
 * <p>A store is one directory, {@code <parent>/<name>}, with {@code schema.json}
 * in it. Next to it, and only while needed:
 *
 * <pre>
 * &lt;name&gt;.kept-v&lt;M&gt;          the store as it was at major M, kept before a migration
 * &lt;name&gt;.set-aside-v&lt;M&gt;[.n]   a store of major M that an older image could not read (never deleted)
 * .&lt;name&gt;.staging-v&lt;M&gt;      a migration's output being written (deleted when found)
 * .&lt;name&gt;.lock               held while a store changes, across processes
 * </pre>
 *
 * <p>Every change is one rename (or one atomic file replacement) forced to disk, and
 * what the directory holds tells what to do next: after a power cut at any point the
 * next open finishes the work, whichever image runs.
 *
 * <ul>
 * <li>No store and no kept copy: a new store is made ({@link #open}), or
 *     {@link NoSuchFileException} ({@link #openExisting}).</li>
 * <li>Same major: the version is recorded when missing or of a lower minor (never
 *     lowered: a newer minor stays recorded, and its readers know older records lack
 *     its additions).</li>
 * <li>Older major: the store is renamed to its kept copy, the migration writes the
 *     next major into a staging directory from the kept copy, and the staging
 *     directory is renamed into place; one major at a time.</li>
 * <li>Newer major: the store is set aside and the kept copy of the current major
 *     becomes the store again (or the newest older kept copy, migrated up); with none,
 *     or with {@link StoreSchema.OnNewerMajor#REFUSE}, {@link StoreRefusedException}
 *     and nothing changes.</li>
 * <li>No store but kept copies (a step was cut short): the newest kept copy this code
 *     reads is the source; a kept copy of the current major is returned to, an older
 *     one is migrated. A directory without a schema file next to kept copies was made
 *     by someone else meanwhile (the launcher copying configuration defaults): it is
 *     set aside and the step finished from the kept copy.</li>
 * </ul>
 */
public final class DataStore {
    /** The version file in every store directory. */
    public static final String SCHEMA_FILE = SchemaFile.NAME;
    /** How long an open waits for another open of the same store in this process. */
    static final Duration IN_PROCESS_LOCK_WAIT = Duration.ofSeconds(30);
    /** Each pass of the open loop makes one change; no store needs anywhere near this many. */
    private static final int MAX_PASSES = 256;

    private final Path dir;
    private final Path parent;
    private final String name;
    private final StoreSchema schema;
    private final StoreListener listener;
    private final List<StoreChange> changes = new ArrayList<>();

    private DataStore(Path dir, StoreSchema schema, StoreListener listener) {
        this.dir = dir.toAbsolutePath().normalize();
        this.parent = this.dir.getParent();
        this.name = this.dir.getFileName().toString();
        this.schema = Objects.requireNonNull(schema, "schema");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Brings the store at {@code dir} to {@code schema.current()}'s major, making an
     * empty one when there is none. For the store's owner, before it reads or writes.
     *
     * @throws StoreRefusedException when the store cannot be brought there; nothing was changed
     * @throws IOException           when a file operation fails (the next open carries on from there)
     */
    public static OpenedStore open(Path dir, StoreSchema schema, StoreListener listener) throws IOException {
        return new DataStore(dir, schema, listener).run(true);
    }

    /**
     * As {@link #open}, but a missing store is not made: for owners to whom a missing
     * directory means a broken device rather than an empty store (configuration).
     *
     * @throws NoSuchFileException when there is neither the store nor a kept copy of it
     */
    public static OpenedStore openExisting(Path dir, StoreSchema schema, StoreListener listener) throws IOException {
        return new DataStore(dir, schema, listener).run(false);
    }

    /**
     * The directory a reader that must not change anything reads: the store, or the
     * kept copy of the current major when the store is of a newer major (and
     * {@link StoreSchema.OnNewerMajor#RETURN_TO_KEPT_COPY} applies). The store itself
     * when it does not exist (nothing to read).
     *
     * @throws StoreRefusedException when neither can be read by this code
     */
    public static Path readable(Path dir, StoreSchema schema) throws IOException {
        return new DataStore(dir, schema, StoreListener.NONE).readableDir();
    }

    /** The recorded version of the store at {@code dir}; empty when it has none or does not exist. */
    public static Optional<SchemaVersion> recordedVersion(Path dir, String store) throws IOException {
        return Files.isDirectory(dir) ? SchemaFile.read(dir, store) : Optional.empty();
    }

    /** Where the copy of the store at major {@code major} is kept. */
    public static Path keptCopy(Path dir, int major) {
        Path d = dir.toAbsolutePath().normalize();
        return d.resolveSibling(d.getFileName() + ".kept-v" + major);
    }

    private OpenedStore run(boolean create) throws IOException {
        Optional<OpenedStore> ready = alreadyCurrent();
        if (ready.isPresent()) {
            return ready.get();
        }
        // dir is checked again after the listing: a return to a kept copy renames the copy to dir in between
        if (!create && !Files.exists(dir) && keptMajors().isEmpty() && !Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no data store " + schema.store() + " and no kept copy of it");
        }
        Files.createDirectories(parent);
        Path lockFile = parent.resolve("." + name + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lock(lockChannel);
            try {
                for (int pass = 0; pass < MAX_PASSES; pass++) {
                    Optional<OpenedStore> done = Files.isDirectory(dir) ? step() : stepWithoutStore(create);
                    if (done.isPresent()) {
                        return done.get();
                    }
                }
                throw new IOException("data store " + schema.store() + " at " + dir + " did not settle after " + MAX_PASSES
                        + " changes: " + changes);
            } finally {
                lock.release();
            }
        }
    }

    /** The common case, without taking the lock: the store is there at the current major and minor. */
    private Optional<OpenedStore> alreadyCurrent() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Optional<SchemaVersion> v = SchemaFile.read(dir, schema.store());
        if (v.isPresent() && v.get().major() == schema.current().major() && v.get().minor() >= schema.current().minor()) {
            return Optional.of(new OpenedStore(schema.store(), dir, v.get(), List.of()));
        }
        return Optional.empty();
    }

    /** One change to a store that exists; the finished store when there is nothing left to do. */
    private Optional<OpenedStore> step() throws IOException {
        Optional<SchemaVersion> recorded = SchemaFile.read(dir, schema.store());
        if (recorded.isEmpty() && !keptMajors().isEmpty()) {
            // Every store this class leaves behind has a schema file, and a store from before versions has no
            // kept copies: this directory was made by someone else while a step was unfinished (the launcher
            // copying configuration defaults). The kept copy holds the data; finish from there.
            setAside(dir, SchemaVersion.UNRECORDED, "a directory without " + SCHEMA_FILE + " made while a migration or return"
                    + " was unfinished");
            return Optional.empty();
        }
        SchemaVersion found = recorded.orElse(SchemaVersion.UNRECORDED);
        SchemaVersion current = schema.current();
        if (found.major() == current.major()) {
            SchemaVersion now = found.max(current);
            if (recorded.isEmpty() || found.minor() < current.minor()) {
                SchemaFile.write(dir, schema.store(), now);
                change(Kind.VERSION_RECORDED, dir, now, "version " + now + " recorded in " + dir.resolve(SCHEMA_FILE)
                        + (recorded.isEmpty() ? " (it had none: a store from before versions were recorded is 1.0)" : " (was " + found + ")"));
            }
            return Optional.of(new OpenedStore(schema.store(), dir, now, changes));
        }
        if (found.major() < current.major()) {
            if (schema.migrationFrom(found.major()).isEmpty()) {
                throw new StoreRefusedException(schema.store(), dir.resolve(SCHEMA_FILE), schemaText() + " is at version " + found
                        + ", older than this image can migrate (it reads " + schema.readsText() + "); nothing was changed");
            }
            // kept copies of this major or above are from an earlier episode: the store itself is newer than them
            for (int major : keptMajors()) {
                if (major >= found.major()) {
                    setAside(keptCopy(dir, major), keptVersion(major), "an outdated kept copy");
                }
            }
            StoreFiles.rename(dir, keptCopy(dir, found.major()), false);
            change(Kind.KEPT, keptCopy(dir, found.major()), found, "version " + found + " kept as "
                    + keptCopy(dir, found.major()) + " before migrating to major " + (found.major() + 1));
            return Optional.empty();
        }
        OptionalInt returnTo = newestKeptAtMost(current.major());
        if (schema.onNewer() == StoreSchema.OnNewerMajor.REFUSE || returnTo.isEmpty()) {
            throw newerRefused(found);
        }
        setAside(dir, found, "version " + found + ", which this image does not read");
        return Optional.empty();
    }

    /** One change when there is no store: an interrupted step is finished, or a new store made. */
    private Optional<OpenedStore> stepWithoutStore(boolean create) throws IOException {
        if (Files.exists(dir)) {
            throw new StoreRefusedException(schema.store(), dir, dir + " is not a directory; nothing was changed");
        }
        List<Integer> kept = keptMajors();
        SchemaVersion current = schema.current();
        if (kept.isEmpty()) {
            if (!create) {
                throw new NoSuchFileException(dir.toString(), null, "no data store " + schema.store() + " and no kept copy of it");
            }
            commitStaging(current, staging -> {
                // a new store holds nothing but its schema file
            });
            change(Kind.CREATED, dir, current, "new store of version " + current + " made at " + dir);
            return Optional.empty();
        }
        OptionalInt source = newestKeptAtMost(current.major());
        if (source.isEmpty()) {
            throw new StoreRefusedException(schema.store(), parent, "data store " + schema.store() + " at " + dir
                    + " is missing and its kept copies are of majors " + kept + ", which this image does not read (it reads "
                    + schema.readsText() + "); nothing was changed");
        }
        int from = source.getAsInt();
        for (int major : kept) {
            if (major > from) {
                setAside(keptCopy(dir, major), keptVersion(major), "a kept copy of a major this image does not read");
            }
        }
        Path keptDir = keptCopy(dir, from);
        SchemaVersion keptVersion = keptVersion(from);
        if (from == current.major()) {
            StoreFiles.rename(keptDir, dir, false);
            change(Kind.RESTORED, dir, keptVersion, "returned to the kept copy of version " + keptVersion + " (" + keptDir + ")");
            return Optional.empty();
        }
        Migration m = schema.migrationFrom(from).orElseThrow(() -> new StoreRefusedException(schema.store(), keptDir,
                "data store " + schema.store() + " is missing and its newest kept copy " + keptDir + " is of major " + from
                        + ", older than this image can migrate (it reads " + schema.readsText() + "); nothing was changed"));
        SchemaVersion target = m.toMajor() == current.major() ? current : SchemaVersion.of(m.toMajor(), 0);
        commitStaging(target, staging -> {
            try {
                m.migrate(keptDir, staging);
            } catch (IOException | RuntimeException e) {
                throw new IOException("migration of data store " + schema.store() + " from major " + from + " to " + m.toMajor()
                        + " failed: " + e.getMessage() + "; the store is kept unchanged in " + keptDir, e);
            }
        });
        change(Kind.MIGRATED, dir, target, "migrated from version " + keptVersion + " to " + target + " (the old one stays in "
                + keptDir + ")");
        return Optional.empty();
    }

    /** Builds the store in a staging directory, records its version, forces it all to disk and renames it into place. */
    private void commitStaging(SchemaVersion version, StagingFill fill) throws IOException {
        Path staging = parent.resolve("." + name + ".staging-v" + version.major());
        StoreFiles.deleteTree(staging);
        Files.createDirectory(staging);
        try {
            fill.fill(staging);
            SchemaFile.write(staging, schema.store(), version);
            StoreFiles.syncTree(staging);
        } catch (IOException | RuntimeException e) {
            try {
                StoreFiles.deleteTree(staging);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        StoreFiles.rename(staging, dir, false);
    }

    /** What goes into a staging directory before its schema file. */
    @FunctionalInterface
    private interface StagingFill {
        void fill(Path staging) throws IOException;
    }

    private void setAside(Path what, SchemaVersion v, String why) throws IOException {
        Path target = parent.resolve(name + ".set-aside-v" + v.major());
        for (int n = 2; Files.exists(target); n++) {
            target = parent.resolve(name + ".set-aside-v" + v.major() + "." + n);
        }
        StoreFiles.rename(what, target, false);
        change(Kind.SET_ASIDE, target, v, what + " (" + why + ") set aside as " + target + "; it is kept, not deleted");
    }

    private Path readableDir() throws IOException {
        SchemaVersion current = schema.current();
        Path keptCurrent = keptCopy(dir, current.major());
        if (Files.isDirectory(dir)) {
            SchemaVersion found = SchemaFile.read(dir, schema.store()).orElse(SchemaVersion.UNRECORDED);
            if (found.major() == current.major()) {
                return dir;
            }
            if (found.major() > current.major()) {
                if (schema.onNewer() == StoreSchema.OnNewerMajor.RETURN_TO_KEPT_COPY && Files.isDirectory(keptCurrent)) {
                    return keptCurrent;
                }
                throw newerRefused(found);
            }
            throw new StoreRefusedException(schema.store(), dir.resolve(SCHEMA_FILE), schemaText() + " is at version " + found
                    + " and must be migrated to major " + current.major() + " by its owner before it can be read");
        }
        if (Files.isDirectory(keptCurrent)) {
            return keptCurrent;
        }
        if (!keptMajors().isEmpty()) {
            throw new StoreRefusedException(schema.store(), dir, "data store " + schema.store() + " at " + dir
                    + " is being migrated (only kept copies " + keptMajors() + " are there); its owner finishes that when it next starts");
        }
        return dir;
    }

    private StoreRefusedException newerRefused(SchemaVersion found) {
        String why = schema.onNewer() == StoreSchema.OnNewerMajor.REFUSE
                ? "this store never returns to an older copy"
                : "there is no kept copy of a version it reads (" + keptCopy(dir, schema.current().major()) + ")";
        return new StoreRefusedException(schema.store(), dir.resolve(SCHEMA_FILE), schemaText() + " is at version " + found
                + ", which this image does not read (it reads " + schema.readsText() + "), and " + why + "; nothing was changed");
    }

    private String schemaText() {
        return "data store " + schema.store() + " (" + dir.resolve(SCHEMA_FILE) + ")";
    }

    private static final Pattern KEPT = Pattern.compile("\\.kept-v([1-9][0-9]{0,8})");

    /** Majors of the kept copies next to the store, ascending. */
    private List<Integer> keptMajors() throws IOException {
        TreeSet<Integer> majors = new TreeSet<>();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                if (!file.startsWith(name) || !Files.isDirectory(p)) {
                    continue;
                }
                Matcher m = KEPT.matcher(file.substring(name.length()));
                if (m.matches()) {
                    majors.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return List.copyOf(majors);
    }

    /** The version a kept copy records; the major of its name when its schema file is missing or unreadable. */
    private SchemaVersion keptVersion(int major) {
        try {
            return SchemaFile.read(keptCopy(dir, major), schema.store()).filter(v -> v.major() == major)
                    .orElse(SchemaVersion.of(major, 0));
        } catch (StoreRefusedException e) {
            return SchemaVersion.of(major, 0);
        }
    }

    private OptionalInt newestKeptAtMost(int major) throws IOException {
        return keptMajors().stream().mapToInt(Integer::intValue).filter(m -> m <= major).max();
    }

    private void change(Kind kind, Path path, SchemaVersion version, String detail) {
        StoreChange c = new StoreChange(kind, schema.store(), path, version, detail);
        changes.add(c);
        listener.changed(c);
    }

    private FileLock lock(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + IN_PROCESS_LOCK_WAIT.toNanos();
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                // another open of this store in this process holds it: lock() would not wait for it
                if (System.nanoTime() > deadline) {
                    throw new IOException("data store " + schema.store() + " at " + dir + " is held by another open of this process for more than "
                            + IN_PROCESS_LOCK_WAIT.toSeconds() + " s", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }
}
