package org.voltkeep.data.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File operations that survive a power cut: every change is forced to disk before the next. */
public final class StoreFiles {
    private StoreFiles() {
    }

    /** New file next to the target, fsync, rename over the target, fsync the directory. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        rename(tmp, target, true);
    }

    /** One atomic rename, then the directory entries are forced to disk. */
    public static void rename(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
        syncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            syncDirectory(from.getParent());
        }
    }

    /** Forces every file and directory under {@code root} (and root) to disk. */
    public static void syncTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                syncDirectory(p);
            }
        }
    }

    public static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for sync; renames are still atomic there
        }
    }

    /** Deletes a directory tree that is a leftover of an interrupted step (never a store or a kept copy). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        syncDirectory(root.getParent());
    }
}
