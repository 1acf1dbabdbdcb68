package org.voltkeep.sessions.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionRecord;

/**
 * The session files in one directory: {@value #RECORDS} (one JSON record per
 * line, appended and forced to disk) and {@value #OPEN} (the running session,
 * replaced atomically). Damaged content is logged and skipped, never fatal.
 */
final class SessionStore {
    static final String RECORDS = "sessions.jsonl";
    static final String OPEN = "open.json";
    /** A record is a few hundred bytes; a longer line is damage, not a record. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int BLOCK_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    private final Path dir;

    SessionStore(Path dir) {
        this.dir = dir;
    }

    Path records() {
        return dir.resolve(RECORDS);
    }

    Path openFile() {
        return dir.resolve(OPEN);
    }

    /**
     * Appends one record and forces it to the device before returning. A line
     * torn by an earlier crash is closed off first, so it stays one damaged line
     * instead of corrupting this record too.
     */
    void append(SessionRecord r) throws IOException {
        Files.createDirectories(dir);
        Path file = records();
        boolean created = !Files.exists(file);
        byte[] line = (SessionJson.write(r).write() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer out;
            if (size > 0 && !endsWithNewline(ch, size)) {
                LOG.warn("{} ends in a torn line (a crash while writing); closing it off before the next record", file);
                out = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
            } else {
                out = ByteBuffer.wrap(line);
            }
            long pos = size;
            while (out.hasRemaining()) {
                pos += ch.write(out, pos);
            }
            ch.force(true);
        }
        if (created) {
            syncDirectory();
        }
    }

    /** Replaces the saved running session: temp file, fsync, rename, fsync the directory. */
    void saveOpen(OpenSession s) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(OPEN + ".tmp");
        ByteBuffer bytes = ByteBuffer.wrap(SessionJson.write(s).writePretty().getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, openFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + openFile() + " atomically: " + e.getMessage(), e);
        }
        syncDirectory();
    }

    void deleteOpen() throws IOException {
        if (Files.deleteIfExists(openFile())) {
            syncDirectory();
        }
    }

    boolean openFileExists() {
        return Files.exists(openFile());
    }

    /** The saved running session; empty when there is none or it cannot be read (logged). */
    Optional<OpenSession> loadOpen() {
        Path file = openFile();
        try {
            if (Files.size(file) > MAX_LINE_BYTES) {
                LOG.warn("saved session {} is larger than {} bytes: ignored as damaged", file, MAX_LINE_BYTES);
                return Optional.empty();
            }
            return Optional.of(SessionJson.readOpen(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("saved session {} is damaged and ignored: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The newest {@code max} readable records, newest first. Reads the file from
     * its end, so a start costs the same however long the history is.
     */
    List<SessionRecord> loadRecent(int max) {
        List<SessionRecord> out = new ArrayList<>();
        Path file = records();
        if (max <= 0 || !Files.exists(file)) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = ch.size();
            LineBuilder pending = new LineBuilder();
            while (pos > 0 && out.size() < max) {
                int n = (int) Math.min(BLOCK_BYTES, pos);
                pos -= n;
                byte[] block = new byte[n];
                ByteBuffer buf = ByteBuffer.wrap(block);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("file shrank while being read");
                    }
                }
                int lineEnd = n;
                for (int i = n - 1; i >= 0 && out.size() < max; i--) {
                    if (block[i] == '\n') {
                        pending.prepend(block, i + 1, lineEnd);
                        take(pending, pos + i + 1, out);
                        pending = new LineBuilder();
                        lineEnd = i;
                    }
                }
                pending.prepend(block, 0, lineEnd);
            }
            if (pos == 0 && out.size() < max) {
                take(pending, 0, out);
            }
        } catch (IOException e) {
            LOG.warn("cannot read session records {}: {}", file, e.toString());
        }
        return out;
    }

    private void take(LineBuilder line, long offset, List<SessionRecord> out) {
        if (line.tooLong) {
            LOG.warn("{}: line at byte {} is longer than {} bytes, skipped as damaged", records(), offset, MAX_LINE_BYTES);
            return;
        }
        String text = new String(line.bytes, 0, line.length, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return;
        }
        try {
            out.add(SessionJson.readRecord(Json.parseObject(text)));
        } catch (RuntimeException e) {
            LOG.warn("{}: damaged line at byte {} skipped: {}", records(), offset, e.getMessage());
        }
    }

    private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the data itself is already forced
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    /** Bytes of one line collected back to front, capped at {@link #MAX_LINE_BYTES}. */
    private static final class LineBuilder {
        byte[] bytes = {};
        int length;
        boolean tooLong;

        void prepend(byte[] src, int from, int to) {
            int n = to - from;
            if (n <= 0 || tooLong) {
                return;
            }
            if (length + n > MAX_LINE_BYTES) {
                tooLong = true;
                bytes = new byte[] {};
                length = 0;
                return;
            }
            byte[] joined = new byte[length + n];
            System.arraycopy(src, from, joined, 0, n);
            System.arraycopy(bytes, 0, joined, n, length);
            bytes = joined;
            length += n;
        }
    }
}
