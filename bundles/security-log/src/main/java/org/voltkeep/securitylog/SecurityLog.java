package org.voltkeep.securitylog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.voltkeep.data.DataStore;
import org.voltkeep.data.OpenedStore;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreChange;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreRefusedException;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.json.Json;
import org.voltkeep.securitylog.internal.LineReader;
import org.voltkeep.securitylog.internal.RecordCodec;
import org.voltkeep.securitylog.internal.RecordCodec.Decoded;
import org.voltkeep.securitylog.internal.RecordCodec.RecordFormatException;
import org.voltkeep.securitylog.internal.TailScan;

/**
 * The security event log of one device: {@code <device>/data/security/events.jsonl},
 * one {@link SecurityRecord} per line, each chained to the one before by its hash.
 *
 * <p>Appending is safe from several threads and several processes at once (the
 * launcher and a domain): each append takes an exclusive {@link FileLock} on
 * {@code events.jsonl.lock}, reads the last record, writes one line through an
 * {@code APPEND} channel and forces it to the device before it returns. Within
 * one process, share one instance per file: POSIX drops all of a process's locks
 * on a file when any descriptor of it closes, so two instances in one process
 * still exclude each other but briefly not a third process.
 *
 * <p>A partial last line (power cut while writing) is repaired by the next
 * append: it is cut off and a {@link SecurityEvent#RESET_OR_REBOOT} record says
 * so (or, when the partial line is in fact the whole next record without its
 * newline, the newline is added). A last record that does not match its hash is
 * kept as it is and reported with a {@link SecurityEvent#TAMPER_DETECTION_ACTIVATED}
 * record before the next one. A full check of the chain is {@link #verify(Path)}.
 *
 * <p>The log's directory is a versioned store of the data directory
 * ({@link #SCHEMA}, see {@code DATA.md}): the first append of an instance opens
 * it through {@link DataStore}, readers read {@link DataStore#readable}. Its
 * major version can change only with the launcher, which also appends to it and
 * is not part of an image; images may only add keys (a minor version).
 *
 * <p>Nothing here logs: this runs in the launcher before any logging is set up,
 * and what it repairs it writes into the security log itself.
 */
public final class SecurityLog implements SecurityEventSink {
    /** A record is at most a few KiB; a longer line is damage and is not read into memory. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Longer details are cut (and say so): a hostile message must not blow up the log. */
    public static final int MAX_DETAIL_CHARS = 2000;
    /** Structured details beyond this are a caller's mistake and are refused. */
    public static final int MAX_TECH_INFO_BYTES = 8 * 1024;
    /** How long an append waits for another instance of this process that holds the file. */
    static final Duration IN_PROCESS_LOCK_WAIT = Duration.ofSeconds(30);

    /** Version 1.0: the records as {@link SecurityRecord} describes them. */
    public static final StoreSchema SCHEMA = StoreSchema.of("security-log", SchemaVersion.of(1, 0));

    private static final String FILE_NAME = "events.jsonl";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final ReentrantLock appendLock = new ReentrantLock(true);
    /** Whether this instance has opened the log's store; guarded by {@link #appendLock}. */
    private boolean storeOpened;

    /**
     * @param file  the log file; its directory is created at the first append
     * @param clock gives each record's time
     */
    public SecurityLog(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + LOCK_SUFFIX);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The log of a device directory: {@code <deviceDir>/data/security/events.jsonl}. */
    public static SecurityLog forDevice(Path deviceDir, Clock clock) {
        return new SecurityLog(fileOf(deviceDir), clock);
    }

    public static Path fileOf(Path deviceDir) {
        return deviceDir.resolve("data").resolve("security").resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    @Override
    public SecurityRecord append(SecurityEvent event, String detail, Json.Obj techInfo) throws IOException {
        Objects.requireNonNull(event, "event");
        String cutDetail = cut(Objects.requireNonNull(detail, "detail"));
        Optional<Json.Obj> info = checkTechInfo(event, techInfo);
        appendLock.lock();
        try {
            List<PendingEvent> storeChanges = openStore();
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = lockAcrossProcesses(lockChannel);
                try {
                    return appendLocked(storeChanges, event, cutDetail, info);
                } finally {
                    lock.release();
                }
            }
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Opens the log's store once per instance. What that changed beyond making or
     * versioning it (an older launcher returning to its kept copy, the newer log set
     * aside) becomes records of the log it returned to.
     */
    private List<PendingEvent> openStore() throws IOException {
        if (storeOpened) {
            return List.of();
        }
        OpenedStore opened = DataStore.open(file.getParent(), SCHEMA, StoreListener.NONE);
        storeOpened = true;
        List<PendingEvent> notes = new ArrayList<>();
        for (StoreChange c : opened.changes()) {
            if (c.kind() != StoreChange.Kind.CREATED && c.kind() != StoreChange.Kind.VERSION_RECORDED) {
                notes.add(new PendingEvent(SecurityEvent.SECURITY_LOG_WAS_CLEARED, c.detail(), Optional.of(Json.object()
                        .put("change", c.kind().name()).put("path", c.path().toString()).put("version", c.version().toString()))));
            }
        }
        return notes;
    }

    private SecurityRecord appendLocked(List<PendingEvent> storeChanges, SecurityEvent event, String detail,
            Optional<Json.Obj> info) throws IOException {
        boolean created = !Files.exists(file);
        Instant now = clock.instant();
        List<PendingEvent> repairs = new ArrayList<>();
        Head head = inspectAndRepair(repairs);

        List<PendingEvent> toWrite = new ArrayList<>(storeChanges);
        toWrite.addAll(repairs);
        toWrite.add(new PendingEvent(event, detail, info));
        StringBuilder lines = new StringBuilder();
        long seq = head.seq();
        String prev = head.hash();
        SecurityRecord last = null;
        for (PendingEvent p : toWrite) {
            seq++;
            last = RecordCodec.create(seq, now, p.event().eventName(), p.detail(), p.techInfo(), prev);
            lines.append(RecordCodec.line(last)).append('\n');
            prev = last.hash();
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        if (created) {
            syncDirectory(file.getParent());
        }
        return last;
    }

    /** seq and hash of the record the next one follows. */
    private record Head(long seq, String hash) {
    }

    private record PendingEvent(SecurityEvent event, String detail, Optional<Json.Obj> techInfo) {
    }

    /**
     * Finds the record the next one must follow, and repairs a torn tail on the
     * way. What it had to repair or found suspicious is added to {@code repairs}.
     */
    private Head inspectAndRepair(List<PendingEvent> repairs) throws IOException {
        if (!Files.exists(file)) {
            return new Head(0, RecordCodec.ZERO_HASH);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long completeEnd = TailScan.completeEnd(ch, size);
            Head head = headBefore(ch, completeEnd, repairs);
            if (completeEnd == size) {
                return head;
            }
            long tornBytes = size - completeEnd;
            if (tornBytes <= MAX_LINE_BYTES) {
                Optional<Decoded> whole = decodeQuietly(TailScan.read(ch, completeEnd, (int) tornBytes));
                if (whole.isPresent() && whole.get().hashMatches() && whole.get().record().seq() == head.seq() + 1
                        && whole.get().record().prev().equals(head.hash())) {
                    // the write got through except for its newline: keep the record
                    ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
                    ch.force(true);
                    return new Head(whole.get().record().seq(), whole.get().record().hash());
                }
            }
            String droppedSha256 = sha256Of(ch, completeEnd, size);
            ch.truncate(completeEnd);
            ch.force(true);
            repairs.add(new PendingEvent(SecurityEvent.RESET_OR_REBOOT,
                    "a partial record of " + tornBytes + " bytes at the end of the security log was dropped"
                            + " (a write was interrupted, e.g. by a power cut)",
                    Optional.of(Json.object()
                            .put("droppedBytes", tornBytes)
                            .put("droppedAtOffset", completeEnd)
                            .put("droppedSha256", droppedSha256))));
            return head;
        }
    }

    private Head headBefore(FileChannel ch, long completeEnd, List<PendingEvent> repairs) throws IOException {
        if (completeEnd == 0) {
            return new Head(0, RecordCodec.ZERO_HASH);
        }
        long start = TailScan.startOfLastLines(ch, completeEnd, 1);
        long length = completeEnd - 1 - start;
        String problem;
        byte[] bytes = null;
        if (length > MAX_LINE_BYTES) {
            problem = "the last line of the security log is " + length + " bytes long, not a record";
        } else {
            bytes = TailScan.read(ch, start, (int) length);
            try {
                Decoded d = RecordCodec.decode(utf8(bytes));
                if (d.hashMatches()) {
                    return new Head(d.record().seq(), d.record().hash());
                }
                repairs.add(tamper("the last record of the security log (seq " + d.record().seq()
                        + ") does not match its hash: it was edited", d.record().seq(), start));
                return new Head(d.record().seq(), d.record().hash());
            } catch (RecordFormatException | CharacterCodingException e) {
                problem = "the last line of the security log is not a record: " + e.getMessage();
            }
        }
        // No usable seq on the last line: continue from the count of lines, chained to
        // the line's own bytes, so the records after it still chain to each other.
        long lines = countNewlines(ch, completeEnd);
        String prev = bytes != null ? RecordCodec.sha256Hex(bytes) : sha256Of(ch, start, completeEnd - 1);
        repairs.add(tamper(problem, 0, start));
        return new Head(lines, prev);
    }

    private static PendingEvent tamper(String detail, long seq, long offset) {
        Json.Obj info = Json.object().put("atOffset", offset);
        if (seq > 0) {
            info.put("seq", seq);
        }
        return new PendingEvent(SecurityEvent.TAMPER_DETECTION_ACTIVATED, detail, Optional.of(info));
    }

    private FileLock lockAcrossProcesses(FileChannel lockChannel) throws IOException {
        long deadline = System.nanoTime() + IN_PROCESS_LOCK_WAIT.toNanos();
        while (true) {
            try {
                return lockChannel.lock();
            } catch (OverlappingFileLockException e) {
                // another SecurityLog instance of this process holds it: lock() would not wait for it
                if (System.nanoTime() > deadline) {
                    throw new IOException("the security log " + file + " is held by another writer of this process for more than "
                            + IN_PROCESS_LOCK_WAIT.toSeconds() + " s", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /**
     * The last {@code n} records in file order (oldest first). Lines that are not
     * records are skipped (they are {@link #verify(Path)}'s business), as is a torn
     * last line. Reads from the end of the file.
     */
    public List<SecurityRecord> tail(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("tail count must be 0 or more, was " + n);
        }
        Path readFile = readableFile(file);
        if (n == 0 || !Files.exists(readFile)) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(readFile, StandardOpenOption.READ)) {
            long completeEnd = TailScan.completeEnd(ch, ch.size());
            if (completeEnd == 0) {
                return List.of();
            }
            long start = TailScan.startOfLastLines(ch, completeEnd, n);
            Deque<SecurityRecord> out = new ArrayDeque<>();
            readRecords(ch, start, completeEnd, r -> {
                out.addLast(r);
                if (out.size() > n) {
                    out.removeFirst();
                }
                return true;
            });
            return List.copyOf(out);
        }
    }

    /** Records with a seq above {@code afterSeq}, oldest first (for telemetry that resumes). */
    public List<SecurityRecord> since(long afterSeq) throws IOException {
        return since(afterSeq, Integer.MAX_VALUE);
    }

    /** At most {@code max} records with a seq above {@code afterSeq}, oldest first. */
    public List<SecurityRecord> since(long afterSeq, int max) throws IOException {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, was " + max);
        }
        Path readFile = readableFile(file);
        if (max == 0 || !Files.exists(readFile)) {
            return List.of();
        }
        List<SecurityRecord> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(readFile, StandardOpenOption.READ)) {
            long completeEnd = TailScan.completeEnd(ch, ch.size());
            readRecords(ch, 0, completeEnd, r -> {
                if (r.seq() > afterSeq) {
                    out.add(r);
                }
                return out.size() < max;
            });
        }
        return out;
    }

    private interface RecordVisitor {
        /** @return false to stop */
        boolean visit(SecurityRecord r);
    }

    private static void readRecords(FileChannel ch, long from, long to, RecordVisitor visitor) throws IOException {
        ch.position(from);
        InputStream in = new BoundedStream(Channels.newInputStream(ch), to - from);
        LineReader reader = new LineReader(in, MAX_LINE_BYTES, from, 0);
        LineReader.Line line;
        while ((line = reader.next()) != null) {
            if (!line.terminated() || line.overlong()) {
                continue;
            }
            Optional<Decoded> d = decodeQuietly(line.bytes());
            if (d.isPresent() && !visitor.visit(d.get().record())) {
                return;
            }
        }
    }

    /** Verifies this log's file; see {@link #verify(Path)}. */
    public VerifyReport verify() throws IOException {
        return verify(file);
    }

    /**
     * Walks the whole chain and reports the first record where it does not hold:
     * a line that is not a record ({@link ChainProblem#MALFORMED}), a record that
     * does not match its hash ({@link ChainProblem#EDITED}), a gap in the sequence
     * ({@link ChainProblem#REMOVED}), records out of sequence
     * ({@link ChainProblem#REORDERED}), or a {@code prev} that is not the previous
     * record's hash ({@link ChainProblem#CHAIN_BROKEN}). A partial last line is
     * reported as {@link VerifyReport#tornTail()}, not as a break. When the log's
     * store is of a newer major, its kept copy is verified (and named in the report).
     *
     * @throws NoSuchFileException   when there is no log at all
     * @throws StoreRefusedException when the log is of a version this code does not read
     */
    public static VerifyReport verify(Path logFile) throws IOException {
        Path file = readableFile(logFile.toAbsolutePath().normalize());
        long records = 0;
        long lastSeq = 0;
        String lastHash = RecordCodec.ZERO_HASH;
        try (InputStream in = Files.newInputStream(file)) {
            LineReader reader = new LineReader(in, MAX_LINE_BYTES, 0, 0);
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                if (!line.terminated()) {
                    return new VerifyReport(file, records, lastSeq, lastHash, true, Optional.empty());
                }
                long expectedSeq = lastSeq + 1;
                if (line.overlong()) {
                    return broken(file, records, lastSeq, lastHash, new ChainBreak(ChainProblem.MALFORMED, line.number(),
                            expectedSeq, 0, "line " + line.number() + " is " + line.length() + " bytes long, longer than any record"));
                }
                Decoded d;
                try {
                    d = RecordCodec.decode(line.text());
                } catch (RecordFormatException | CharacterCodingException e) {
                    return broken(file, records, lastSeq, lastHash, new ChainBreak(ChainProblem.MALFORMED, line.number(),
                            expectedSeq, 0, "line " + line.number() + " is not a record: " + e.getMessage()));
                }
                SecurityRecord r = d.record();
                if (!d.hashMatches()) {
                    return broken(file, records, lastSeq, lastHash, new ChainBreak(ChainProblem.EDITED, line.number(),
                            expectedSeq, r.seq(), "record seq " + r.seq() + " on line " + line.number()
                                    + " does not match its hash: its content was changed"));
                }
                if (r.seq() != expectedSeq) {
                    return broken(file, records, lastSeq, lastHash, sequenceBreak(file, line.number(), expectedSeq, r.seq()));
                }
                if (!r.prev().equals(lastHash)) {
                    String message = expectedSeq == 1
                            ? "record seq 1 on line " + line.number() + " does not start a chain (prev is not 64 zeros):"
                                    + " the records before it were removed"
                            : "record seq " + r.seq() + " on line " + line.number() + " does not chain to record seq "
                                    + lastSeq + " (prev is not its hash): a record was removed or replaced, or two writers forked the chain";
                    return broken(file, records, lastSeq, lastHash,
                            new ChainBreak(ChainProblem.CHAIN_BROKEN, line.number(), expectedSeq, r.seq(), message));
                }
                records++;
                lastSeq = r.seq();
                lastHash = r.hash();
            }
        }
        return new VerifyReport(file, records, lastSeq, lastHash, false, Optional.empty());
    }

    private static VerifyReport broken(Path file, long records, long lastSeq, String lastHash, ChainBreak b) {
        return new VerifyReport(file, records, lastSeq, lastHash, false, Optional.of(b));
    }

    /** Tells a deletion from a move by looking for the expected record further on. */
    private static ChainBreak sequenceBreak(Path file, long lineNumber, long expectedSeq, long foundSeq) throws IOException {
        if (foundSeq < expectedSeq) {
            return new ChainBreak(ChainProblem.REORDERED, lineNumber, expectedSeq, foundSeq,
                    "line " + lineNumber + " holds record seq " + foundSeq + " where seq " + expectedSeq
                            + " belongs: a record was moved back or repeated, or two writers forked the chain");
        }
        long laterLine = lineOfSeq(file, expectedSeq, lineNumber);
        if (laterLine > 0) {
            return new ChainBreak(ChainProblem.REORDERED, lineNumber, expectedSeq, foundSeq,
                    "line " + lineNumber + " holds record seq " + foundSeq + " where seq " + expectedSeq
                            + " belongs; seq " + expectedSeq + " is on line " + laterLine + ": records were moved");
        }
        String missing = foundSeq - expectedSeq == 1 ? "record seq " + expectedSeq + " is"
                : "records seq " + expectedSeq + ".." + (foundSeq - 1) + " are";
        return new ChainBreak(ChainProblem.REMOVED, lineNumber, expectedSeq, foundSeq,
                missing + " missing before line " + lineNumber + " (which holds seq " + foundSeq + "): removed from the log");
    }

    /** The line number after {@code afterLine} that holds a record with {@code seq}, or 0. */
    private static long lineOfSeq(Path file, long seq, long afterLine) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            LineReader reader = new LineReader(in, MAX_LINE_BYTES, 0, 0);
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                if (line.number() <= afterLine || !line.terminated() || line.overlong()) {
                    continue;
                }
                Optional<Decoded> d = decodeQuietly(line.bytes());
                if (d.isPresent() && d.get().record().seq() == seq) {
                    return line.number();
                }
            }
        }
        return 0;
    }

    /** The file to read: this one, or the one in the kept copy when a newer major was written here. */
    private static Path readableFile(Path logFile) throws IOException {
        return DataStore.readable(logFile.getParent(), SCHEMA).resolve(logFile.getFileName());
    }

    private static Optional<Decoded> decodeQuietly(byte[] bytes) {
        try {
            return Optional.of(RecordCodec.decode(utf8(bytes)));
        } catch (RecordFormatException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return LineReader.utf8(bytes);
    }

    private static String cut(String detail) {
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        int end = MAX_DETAIL_CHARS;
        if (Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--;
        }
        return detail.substring(0, end) + " ... (" + (detail.length() - end) + " more characters cut)";
    }

    private static Optional<Json.Obj> checkTechInfo(SecurityEvent event, Json.Obj techInfo) {
        if (techInfo == null) {
            return Optional.empty();
        }
        int bytes = techInfo.write().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TECH_INFO_BYTES) {
            throw new IllegalArgumentException("techInfo of " + event.eventName() + " is " + bytes
                    + " bytes; at most " + MAX_TECH_INFO_BYTES + " are accepted");
        }
        return Optional.of(RecordCodec.copy(techInfo));
    }

    private static long countNewlines(FileChannel ch, long end) throws IOException {
        long count = 0;
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long pos = 0;
        while (pos < end) {
            b.clear().limit((int) Math.min(b.capacity(), end - pos));
            int n = ch.read(b, pos);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) == '\n') {
                    count++;
                }
            }
            pos += n;
        }
        return count;
    }

    private static String sha256Of(FileChannel ch, long from, long to) throws IOException {
        MessageDigest md = RecordCodec.sha256();
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < to) {
            b.clear().limit((int) Math.min(b.capacity(), to - pos));
            int n = ch.read(b, pos);
            if (n < 0) {
                break;
            }
            b.flip();
            md.update(b);
            pos += n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the record itself is already forced
        }
    }

    /** Reads at most {@code remaining} bytes, so readers stop where complete lines end. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
