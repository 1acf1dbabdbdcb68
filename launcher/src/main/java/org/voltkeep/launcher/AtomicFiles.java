package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The launcher's files (boot state, supervisor state, configuration, slot images)
 * written so that they survive a power cut, through the root of trust's one atomic
 * writer (new file, fsync, rename, fsync the directory), readable by the domains.
 */
final class AtomicFiles {
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        org.voltkeep.rot.api.spi.AtomicFiles.write(target, content, READABLE);
    }

    static void syncDirectory(Path dir) throws IOException {
        org.voltkeep.rot.api.spi.AtomicFiles.fsyncDirectory(dir);
    }
}
