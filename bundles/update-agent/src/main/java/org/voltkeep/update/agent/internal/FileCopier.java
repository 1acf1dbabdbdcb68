package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A local image file copied into the download directory, so the launcher reads a
 * file that nobody changes under it. The size is checked against the cap before and
 * during the copy (a file that grows while copied is caught too).
 */
final class FileCopier {
    private static final int CHUNK = 1 << 20;

    private FileCopier() {
    }

    /** The reason a file cannot be used, or null when it can. */
    static String problem(Path file, long maxBytes) {
        if (!Files.exists(file)) {
            return "image file " + file + " does not exist";
        }
        if (!Files.isRegularFile(file)) {
            return file + " is not a regular file";
        }
        if (!Files.isReadable(file)) {
            return "image file " + file + " is not readable by the charger";
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                return "image file " + file + " is " + size + " bytes, more than the maximum of " + maxBytes;
            }
            if (size == 0) {
                return "image file " + file + " is empty";
            }
        } catch (IOException e) {
            return "cannot read the size of " + file + ": " + e.getMessage();
        }
        return null;
    }

    static void copy(Path from, Path partial, Path done, long maxBytes, ProgressSink progress)
            throws DownloadException, InterruptedException {
        String problem = problem(from, maxBytes);
        if (problem != null) {
            throw DownloadException.fatal(problem);
        }
        long total;
        try {
            total = Files.size(from);
            Files.createDirectories(partial.getParent());
            long copied = 0;
            try (InputStream in = Files.newInputStream(from);
                    FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                byte[] buf = new byte[CHUNK];
                int n;
                progress.progress("download", 0, total);
                while ((n = in.read(buf)) > 0) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("copy of " + from + " interrupted");
                    }
                    copied += n;
                    if (copied > maxBytes) {
                        throw DownloadException.fatal("image file " + from + " grew beyond the maximum of " + maxBytes
                                + " bytes while it was copied");
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    progress.progress("download", copied, Math.max(total, copied));
                }
                out.force(true);
            }
            Files.move(partial, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            StateFile.syncDirectory(done.getParent());
        } catch (NoSuchFileException e) {
            deleteQuietly(partial);
            throw DownloadException.fatal("image file " + from + " disappeared while it was copied");
        } catch (ClosedByInterruptException e) {
            deleteQuietly(partial);
            throw new InterruptedException("copy of " + from + " interrupted");
        } catch (IOException e) {
            deleteQuietly(partial);
            throw DownloadException.fatal("cannot copy " + from + " into " + partial.getParent() + ": " + e.getMessage());
        } catch (DownloadException | InterruptedException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // what is left is overwritten by the next download
        }
    }
}
