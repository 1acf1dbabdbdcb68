package org.voltkeep.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Every file operation that changes the slot store or the boot state, one call per
 * step that a power cut can fall between (write, fsync, rename, fsync of a directory,
 * delete). The slot store and the boot state use nothing else to change files, so a
 * test can count these steps and cut power after any one of them; {@link #REAL} is
 * the implementation a device runs. Reads go straight to the file system: a power
 * cut cannot fall inside a read in a way that matters.
 */
interface FileOps {
    FileOps REAL = new Real();

    /** Creates or truncates {@code file} and writes {@code content}; not yet durable. */
    void write(Path file, byte[] content) throws IOException;

    /** Creates or truncates {@code to} with the bytes of {@code from}, reporting bytes copied; not yet durable. */
    void copy(Path from, Path to, LongConsumer copied) throws IOException;

    /** Makes a file's content durable. */
    void fsync(Path file) throws IOException;

    /** Renames atomically, replacing {@code to} if it is a file. */
    void rename(Path from, Path to) throws IOException;

    /** Makes renames and deletes in {@code dir} durable. */
    void fsyncDirectory(Path dir) throws IOException;

    /** Deletes a file or an empty directory if it exists. */
    void delete(Path path) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /**
     * Replaces {@code target} so that a power cut at any step leaves the old or the new
     * content, never a mix: a new file beside it, fsync, rename over it, fsync the directory.
     */
    default void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".new");
        write(temp, content);
        fsync(temp);
        rename(temp, target);
        fsyncDirectory(dir);
    }

    /** Deletes a directory tree, deepest entries first (no-op when absent). */
    default void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path p : all) {
            delete(p);
        }
    }

    /** The real file system, as a device runs it. */
    final class Real implements FileOps {
        private static final int CHUNK = 1 << 20;

        @Override
        public void write(Path file, byte[] content) throws IOException {
            Files.write(file, content);
        }

        @Override
        public void copy(Path from, Path to, LongConsumer copied) throws IOException {
            try (InputStream in = Files.newInputStream(from);
                    OutputStream out = Files.newOutputStream(to)) {
                byte[] buf = new byte[CHUNK];
                long done = 0;
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                    done += n;
                    copied.accept(done);
                }
            }
        }

        @Override
        public void fsync(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
            }
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            AtomicFiles.syncDirectory(dir);
        }

        @Override
        public void delete(Path path) throws IOException {
            Files.deleteIfExists(path);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            Files.createDirectories(dir);
        }
    }
}
