package org.voltkeep.rot.soft.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.spi.AtomicFiles;

/**
 * Counters in {@code rot/counters}: {@code name=value} lines and a SHA-256 line over
 * them, replaced atomically (temp file, fsync, rename, fsync directory) under an
 * exclusive lock on {@code rot/counters.lock}, so two processes cannot both raise from
 * the same old value and a crash leaves the old or the new file, never less.
 *
 * <p>A file that does not parse or whose checksum does not match is an error, never
 * "all zero": guessing a floor would re-open rollback.
 */
public final class SoftCounters implements MonotonicCounters {

    static final String HEADER = "# voltkeep monotonic counters v1: only ever raised";
    private static final String CHECKSUM_KEY = "sha256=";
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private final Path file;
    private final Path lockFile;

    private SoftCounters(SoftFiles files) {
        this.file = files.counters();
        this.lockFile = files.countersLock();
    }

    /** Writes the initial counters (provisioning). */
    public static SoftCounters create(SoftFiles files, Map<String, Long> initial) throws IOException {
        initial.forEach(MonotonicCounters::requireValid);
        AtomicFiles.write(files.counters(), encode(new TreeMap<>(initial)), SoftFiles.SECRET_MODE);
        return new SoftCounters(files);
    }

    /** Opens existing counters, refusing a missing or damaged file. */
    public static SoftCounters open(SoftFiles files) throws RotException {
        SoftCounters counters = new SoftCounters(files);
        counters.load();
        return counters;
    }

    @Override
    public synchronized long read(String name) throws RotException {
        MonotonicCounters.requireValidName(name);
        return load().getOrDefault(name, 0L);
    }

    @Override
    public synchronized Map<String, Long> readAll() throws RotException {
        return Map.copyOf(load());
    }

    @Override
    public synchronized long raiseTo(String name, long value) throws RotException {
        MonotonicCounters.requireValid(name, value);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                Map<String, Long> values = new TreeMap<>(load());
                long current = values.getOrDefault(name, 0L);
                if (value <= current) {
                    return current;
                }
                values.put(name, value);
                AtomicFiles.write(file, encode(values), SoftFiles.SECRET_MODE);
                return value;
            } finally {
                lock.release();
            }
        } catch (OverlappingFileLockException e) {
            throw new RotException("counters in " + file + " are being raised by another root-of-trust instance of this process", e);
        } catch (IOException e) {
            throw new RotException("cannot raise counter '" + name + "' to " + value + " in " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Long> load() throws RotException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new RotException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RotException(file + " is missing: the anti-rollback counters are gone", e);
        } catch (IOException e) {
            throw new RotException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes, file);
    }

    static byte[] encode(Map<String, Long> values) {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        values.forEach((name, value) -> body.append(name).append('=').append(value).append('\n'));
        String text = body + CHECKSUM_KEY + Provisioning.sha256Hex(body.toString()) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Long> decode(byte[] bytes, Path file) throws RotException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int checksumAt = text.lastIndexOf(CHECKSUM_KEY);
        if (!text.startsWith(HEADER + "\n") || checksumAt < 0 || !text.endsWith("\n")) {
            throw new RotException(file + " is damaged (no header or checksum line): refusing to guess the counters");
        }
        String body = text.substring(0, checksumAt);
        String checksum = text.substring(checksumAt + CHECKSUM_KEY.length(), text.length() - 1);
        if (!Provisioning.sha256Hex(body).equals(checksum)) {
            throw new RotException(file + " is damaged (checksum mismatch): refusing to guess the counters");
        }
        Map<String, Long> values = new TreeMap<>();
        String[] lines = body.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int eq = line.indexOf('=');
            try {
                String name = line.substring(0, Math.max(eq, 0));
                long value = Long.parseLong(line.substring(eq + 1));
                MonotonicCounters.requireValid(name, value);
                if (values.put(name, value) != null) {
                    throw new RotException(file + " line " + (i + 1) + " repeats counter '" + name + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new RotException(file + " line " + (i + 1) + " is not name=value: " + e.getMessage(), e);
            }
        }
        return values;
    }
}
