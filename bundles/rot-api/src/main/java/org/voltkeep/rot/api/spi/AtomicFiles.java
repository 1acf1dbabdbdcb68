package org.voltkeep.rot.api.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Crash-safe file replacement: write a temporary file in the same directory, fsync it,
 * rename it over the target, fsync the directory. After a crash at any point the target
 * holds either the old or the new content, never a mix or nothing.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}; the file gets {@code permissions} before it becomes visible. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        byte[] suffix = new byte[6];
        new SecureRandom().nextBytes(suffix);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
        boolean moved = false;
        try {
            // Owner-writable while we write; the final mode is set before the rename.
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, permissions);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            moved = true;
            fsyncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes a rename or delete in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Deletes {@code file} if present and makes the deletion durable. */
    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            fsyncDirectory(file.toAbsolutePath().getParent());
        }
    }
}
