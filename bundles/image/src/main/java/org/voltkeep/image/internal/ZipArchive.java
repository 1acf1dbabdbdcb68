package org.voltkeep.image.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.voltkeep.image.ImageFormat;

/**
 * A strict reader of a ZIP file held in memory. {@code java.util.zip.ZipFile} hides
 * duplicate names, trusts declared sizes and never compares local headers with the
 * central directory; this reader checks all of that before anything is used, so that
 * every reader of the same bytes (the JDK, the framework, unzip) sees the same entries.
 *
 * <p>Two profiles: {@link Profile#IMAGE} accepts only the canonical layout that
 * {@link ZipWriter} writes (entries back to back from offset 0, no extra fields, no
 * comments, no data descriptors, every header field either cross-checked or fixed), so
 * that no bit of an image's ZIP structure can change without the image being refused.
 * {@link Profile#JAR} accepts what JAR tools write, still refusing duplicates, unsafe
 * names, overlapping entries, ZIP64, encryption and sizes above the caps.
 */
public final class ZipArchive {

    /** How strict the layout check is. */
    public enum Profile {
        IMAGE,
        JAR
    }

    /** What kind of problem a {@link Problem} is. */
    public enum Kind {
        MALFORMED,
        NAME,
        DUPLICATE,
        SIZE
    }

    /** A structural problem, naming the entry when there is one. */
    public static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final String entry;

        Problem(Kind kind, String entry, String message) {
            super(message);
            this.kind = kind;
            this.entry = entry;
        }

        public Kind kind() {
            return kind;
        }

        /** The entry concerned, or null. */
        public String entry() {
            return entry;
        }
    }

    /**
     * One entry as the central directory declares it, cross-checked with its local header.
     *
     * @param dataOffset where the (compressed) data starts in the file
     */
    public record Entry(String name, int method, int flags, long crc, long compressedSize, long size, long headerOffset,
            long dataOffset) {

        public boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    private static final int LOCAL_SIG = 0x04034b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int END_SIG = 0x06054b50;
    private static final int END_LEN = 22;
    private static final int CENTRAL_LEN = 46;
    private static final int LOCAL_LEN = 30;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int FLAG_ENCRYPTED = 0x0001;
    private static final int FLAG_DESCRIPTOR = 0x0008;
    private static final int FLAG_STRONG_ENCRYPTION = 0x0040;
    private static final int FLAG_UTF8 = 0x0800;
    private static final int FLAG_MASKED_HEADERS = 0x2000;
    private static final int MAX_NAME_CHARS = 1024;
    private static final int DIGEST_CHUNK = 64 * 1024;

    private final byte[] data;
    /** Where the ZIP file starts in {@link #data}; every offset of an {@link Entry} counts from here. */
    private final int base;
    private final List<Entry> entries;

    private ZipArchive(Window w, List<Entry> entries) {
        this.data = w.array;
        this.base = w.base;
        this.entries = entries;
    }

    /** Entries in central-directory order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Checks the whole structure without inflating anything.
     *
     * @param maxEntryBytes declared size cap of one entry (compressed and uncompressed)
     * @param maxEntries    cap on the number of entries
     * @param maxTotalBytes cap on the sum of declared uncompressed sizes
     */
    public static ZipArchive parse(byte[] data, Profile profile, long maxEntryBytes, int maxEntries, long maxTotalBytes)
            throws Problem {
        return parse(Slice.of(data), profile, maxEntryBytes, maxEntries, maxTotalBytes);
    }

    /** As {@link #parse(byte[], Profile, long, int, long)}, for a ZIP file that is a range of a larger array (a JAR inside an image). */
    public static ZipArchive parse(Slice zip, Profile profile, long maxEntryBytes, int maxEntries, long maxTotalBytes)
            throws Problem {
        Window data = new Window(zip.array(), zip.offset(), zip.length());
        if (data.length < END_LEN) {
            throw new Problem(Kind.MALFORMED, null, "too short to be a ZIP file (" + data.length + " bytes)");
        }
        int end = findEnd(data, profile);
        int disk = u16(data, end + 4);
        int cdDisk = u16(data, end + 6);
        int onDisk = u16(data, end + 8);
        int total = u16(data, end + 10);
        long cdSize = u32(data, end + 12);
        long cdOffset = u32(data, end + 16);
        if (onDisk == 0xFFFF || total == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw new Problem(Kind.MALFORMED, null, "ZIP64 archives are not supported");
        }
        if (disk != 0 || cdDisk != 0 || onDisk != total) {
            throw new Problem(Kind.MALFORMED, null, "multi-disk archives are not supported (disk " + disk + ", directory disk "
                    + cdDisk + ", " + onDisk + " of " + total + " entries)");
        }
        if (total > maxEntries) {
            throw new Problem(Kind.SIZE, null, total + " entries, more than the cap of " + maxEntries);
        }
        if (cdOffset + cdSize > end) {
            throw new Problem(Kind.MALFORMED, null, "central directory (offset " + cdOffset + ", " + cdSize
                    + " bytes) runs past its end record at " + end);
        }
        if (profile == Profile.IMAGE && cdOffset + cdSize != end) {
            throw new Problem(Kind.MALFORMED, null, (end - cdOffset - cdSize) + " stray bytes between the central directory and its end record");
        }

        List<Entry> entries = new ArrayList<>(total);
        List<byte[]> rawNames = new ArrayList<>(total);
        List<int[]> centralFields = new ArrayList<>(total);
        long cdEnd = cdOffset + cdSize;
        long pos = cdOffset;
        long declaredTotal = 0;
        for (int i = 0; i < total; i++) {
            if (pos + CENTRAL_LEN > cdEnd) {
                throw new Problem(Kind.MALFORMED, null, "central directory ends inside entry " + (i + 1) + " of " + total);
            }
            int p = (int) pos;
            if (s32(data, p) != CENTRAL_SIG) {
                throw new Problem(Kind.MALFORMED, null, "no central directory header at offset " + p + " (entry " + (i + 1) + ")");
            }
            int madeBy = u16(data, p + 4);
            int needed = u16(data, p + 6);
            int flags = u16(data, p + 8);
            int method = u16(data, p + 10);
            int time = u16(data, p + 12);
            int date = u16(data, p + 14);
            long crc = u32(data, p + 16);
            long csize = u32(data, p + 20);
            long usize = u32(data, p + 24);
            int nameLen = u16(data, p + 28);
            int extraLen = u16(data, p + 30);
            int commentLen = u16(data, p + 32);
            int startDisk = u16(data, p + 34);
            int internalAttrs = u16(data, p + 36);
            long externalAttrs = u32(data, p + 38);
            long headerOffset = u32(data, p + 42);
            long next = pos + CENTRAL_LEN + nameLen + extraLen + commentLen;
            if (next > cdEnd) {
                throw new Problem(Kind.MALFORMED, null, "central directory entry " + (i + 1) + " runs past the directory");
            }
            byte[] rawName = data.copy(p + CENTRAL_LEN, p + CENTRAL_LEN + nameLen);
            String name = decodeName(rawName);
            checkName(name);
            if (profile == Profile.IMAGE && !ImageFormat.isAllowedEntryName(name)) {
                throw new Problem(Kind.NAME, name, "not a name an image may contain");
            }
            if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) != 0) {
                throw new Problem(Kind.MALFORMED, name, "encrypted entries are not supported");
            }
            if (method != STORED && method != DEFLATED) {
                throw new Problem(Kind.MALFORMED, name, "compression method " + method + " is not supported");
            }
            if (csize == 0xFFFFFFFFL || usize == 0xFFFFFFFFL || headerOffset == 0xFFFFFFFFL) {
                throw new Problem(Kind.MALFORMED, name, "ZIP64 entries are not supported");
            }
            if (usize > maxEntryBytes || csize > maxEntryBytes) {
                throw new Problem(Kind.SIZE, name, "declares " + Math.max(usize, csize) + " bytes, more than the cap of "
                        + maxEntryBytes + " per entry");
            }
            declaredTotal += usize;
            if (declaredTotal > maxTotalBytes) {
                throw new Problem(Kind.SIZE, name, "entries declare more than the cap of " + maxTotalBytes + " bytes in all");
            }
            if (method == STORED && csize != usize) {
                throw new Problem(Kind.MALFORMED, name, "stored entry with compressed size " + csize + " and size " + usize);
            }
            if (headerOffset + LOCAL_LEN > cdOffset) {
                throw new Problem(Kind.MALFORMED, name, "local header offset " + headerOffset + " is outside the data area");
            }
            if (profile == Profile.IMAGE) {
                if (madeBy != needed || (needed != 10 && needed != 20)) {
                    throw new Problem(Kind.MALFORMED, name, "version fields " + madeBy + "/" + needed + " are not canonical");
                }
                if ((flags & ~FLAG_UTF8) != 0) {
                    throw new Problem(Kind.MALFORMED, name, "general-purpose flags 0x" + Integer.toHexString(flags) + " are not allowed");
                }
                if (extraLen != 0 || commentLen != 0 || startDisk != 0 || internalAttrs != 0 || externalAttrs != 0) {
                    throw new Problem(Kind.MALFORMED, name, "extra fields, comments and attributes are not allowed in an image");
                }
            }
            entries.add(new Entry(name, method, flags, crc, csize, usize, headerOffset, -1));
            rawNames.add(rawName);
            centralFields.add(new int[] {needed, flags, time, date});
            pos = next;
        }
        if (pos != cdEnd) {
            throw new Problem(Kind.MALFORMED, null, "central directory declares " + cdSize + " bytes but its entries take " + (pos - cdOffset));
        }
        checkDuplicates(entries, profile);

        List<Entry> located = new ArrayList<>(total);
        long expectedOffset = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int[] cf = centralFields.get(i);
            int h = (int) e.headerOffset();
            if (profile == Profile.IMAGE && e.headerOffset() != expectedOffset) {
                throw new Problem(Kind.MALFORMED, e.name(), "local header at offset " + h + ", expected " + expectedOffset
                        + " (entries must follow each other)");
            }
            if (s32(data, h) != LOCAL_SIG) {
                throw new Problem(Kind.MALFORMED, e.name(), "no local header at offset " + h);
            }
            int lNeeded = u16(data, h + 4);
            int lFlags = u16(data, h + 6);
            int lMethod = u16(data, h + 8);
            int lTime = u16(data, h + 10);
            int lDate = u16(data, h + 12);
            long lCrc = u32(data, h + 14);
            long lCsize = u32(data, h + 18);
            long lUsize = u32(data, h + 22);
            int lNameLen = u16(data, h + 26);
            int lExtraLen = u16(data, h + 28);
            long dataOffset = e.headerOffset() + LOCAL_LEN + lNameLen + lExtraLen;
            if (dataOffset > cdOffset) {
                throw new Problem(Kind.MALFORMED, e.name(), "local header runs into the central directory");
            }
            byte[] lName = data.copy(h + LOCAL_LEN, h + LOCAL_LEN + lNameLen);
            if (!Arrays.equals(lName, rawNames.get(i))) {
                throw new Problem(Kind.MALFORMED, e.name(), "local header names '" + new String(lName, StandardCharsets.UTF_8)
                        + "', the central directory names it differently");
            }
            if (lMethod != e.method()) {
                throw new Problem(Kind.MALFORMED, e.name(), "compression method differs between local header and central directory");
            }
            boolean descriptor = (e.flags() & FLAG_DESCRIPTOR) != 0;
            if ((lFlags & FLAG_DESCRIPTOR) != (e.flags() & FLAG_DESCRIPTOR)) {
                throw new Problem(Kind.MALFORMED, e.name(), "data-descriptor flag differs between local header and central directory");
            }
            if (!descriptor && (lCrc != e.crc() || lCsize != e.compressedSize() || lUsize != e.size())) {
                throw new Problem(Kind.MALFORMED, e.name(), "CRC or sizes differ between local header and central directory");
            }
            long dataEnd = dataOffset + e.compressedSize();
            if (dataEnd > cdOffset) {
                throw new Problem(Kind.MALFORMED, e.name(), "data runs into the central directory");
            }
            if (profile == Profile.IMAGE) {
                if (lNeeded != cf[0] || lFlags != cf[1] || lTime != cf[2] || lDate != cf[3]) {
                    throw new Problem(Kind.MALFORMED, e.name(), "local header fields differ from the central directory");
                }
                if (lExtraLen != 0) {
                    throw new Problem(Kind.MALFORMED, e.name(), "extra fields are not allowed in an image");
                }
                expectedOffset = dataEnd;
            }
            located.add(new Entry(e.name(), e.method(), e.flags(), e.crc(), e.compressedSize(), e.size(), e.headerOffset(), dataOffset));
        }
        if (profile == Profile.IMAGE && expectedOffset != cdOffset) {
            throw new Problem(Kind.MALFORMED, null, (cdOffset - expectedOffset) + " stray bytes before the central directory");
        }
        if (profile == Profile.JAR) {
            checkNoOverlap(located);
        }
        return new ZipArchive(data, List.copyOf(located));
    }

    /**
     * An entry's content checked against its CRC-32: a stored entry in place (no copy),
     * any other as {@link #read} inflates it.
     */
    public Slice content(Entry e) throws Problem {
        if (e.method() != STORED) {
            return Slice.of(read(e));
        }
        int off = base + (int) e.dataOffset();
        int len = (int) e.size();
        CRC32 crc = new CRC32();
        crc.update(data, off, len);
        if (crc.getValue() != e.crc()) {
            throw new Problem(Kind.MALFORMED, e.name(), String.format(Locale.ROOT, "CRC-32 %08x does not match the declared %08x",
                    crc.getValue(), e.crc()));
        }
        return Slice.of(data, off, len);
    }

    /**
     * As {@link #content}, feeding the content to {@code digest} on the way: one pass over
     * the bytes for both the CRC-32 and the digest.
     */
    public Slice content(Entry e, java.security.MessageDigest digest) throws Problem {
        if (e.method() != STORED) {
            Slice s = content(e);
            s.updateDigest(digest);
            return s;
        }
        int off = base + (int) e.dataOffset();
        int len = (int) e.size();
        CRC32 crc = new CRC32();
        // in pieces that stay in the cache between the two passes
        for (int at = off, end = off + len; at < end; at += DIGEST_CHUNK) {
            int n = Math.min(DIGEST_CHUNK, end - at);
            crc.update(data, at, n);
            digest.update(data, at, n);
        }
        if (crc.getValue() != e.crc()) {
            throw new Problem(Kind.MALFORMED, e.name(), String.format(Locale.ROOT, "CRC-32 %08x does not match the declared %08x",
                    crc.getValue(), e.crc()));
        }
        return Slice.of(data, off, len);
    }

    /** Receives an entry's content piece by piece, as {@link #scan} reads it. */
    public interface Sink {
        void accept(byte[] b, int off, int len);
    }

    /**
     * How reading an entry's content ended.
     *
     * @param size     bytes handed to the sink, never more than the declared size
     * @param crc      CRC-32 of those bytes
     * @param overflow the compressed data holds more than the declared size (it was cut off there)
     * @param corrupt  the compressed data is damaged, or does not end where declared; says how, or null
     */
    public record Scan(long size, long crc, boolean overflow, String corrupt) {
    }

    /**
     * Streams an entry's content to {@code sink} without keeping it, at most its declared
     * size (as the JDK's JAR reader does: a longer entry is cut off at the declared size).
     * Nothing is judged here; the caller decides in which order the outcomes count.
     *
     * @param inflater reused between entries (reset here)
     * @param buffer   where inflated pieces are put
     */
    public Scan scan(Entry e, Inflater inflater, byte[] buffer, Sink sink) {
        int off = base + (int) e.dataOffset();
        int clen = (int) e.compressedSize();
        long declared = e.size();
        CRC32 crc = new CRC32();
        if (e.method() == STORED) {
            sink.accept(data, off, clen);
            crc.update(data, off, clen);
            return new Scan(clen, crc.getValue(), false, null);
        }
        inflater.reset();
        inflater.setInput(data, off, clen);
        long n = 0;
        try {
            while (n < declared) {
                int got = inflater.inflate(buffer, 0, (int) Math.min(buffer.length, declared - n));
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                sink.accept(buffer, 0, got);
                crc.update(buffer, 0, got);
                n += got;
            }
            boolean overflow = false;
            if (!inflater.finished() && n == declared) {
                overflow = inflater.inflate(new byte[1]) > 0;
            }
            String corrupt = null;
            if (n < declared && !inflater.finished()) {
                corrupt = "compressed data ends before the declared " + declared + " bytes";
            } else if (!overflow && (!inflater.finished() || inflater.getRemaining() != 0)) {
                corrupt = "compressed data does not end where declared";
            }
            return new Scan(n, crc.getValue(), overflow, corrupt);
        } catch (DataFormatException ex) {
            return new Scan(n, crc.getValue(), false, "corrupt compressed data: " + ex.getMessage());
        }
    }

    /**
     * An entry's content, inflated with the declared size as a hard bound and checked
     * against its CRC-32; an entry that inflates to more or less than declared is refused.
     */
    public byte[] read(Entry e) throws Problem {
        int off = base + (int) e.dataOffset();
        int clen = (int) e.compressedSize();
        int len = (int) e.size();
        byte[] out;
        if (e.method() == STORED) {
            out = Arrays.copyOfRange(data, off, off + clen);
        } else {
            out = new byte[len];
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(data, off, clen);
                int n = 0;
                while (n < len) {
                    int got = inf.inflate(out, n, len - n);
                    if (got == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
                        break;
                    }
                    n += got;
                }
                if (n != len) {
                    throw new Problem(Kind.MALFORMED, e.name(), "inflates to " + n + " bytes, declared " + len);
                }
                byte[] more = new byte[1];
                if (!inf.finished() && inf.inflate(more) > 0) {
                    throw new Problem(Kind.MALFORMED, e.name(), "inflates to more than the declared " + len + " bytes");
                }
                if (!inf.finished() || inf.getRemaining() != 0) {
                    throw new Problem(Kind.MALFORMED, e.name(), "compressed data does not end where declared");
                }
            } catch (DataFormatException ex) {
                throw new Problem(Kind.MALFORMED, e.name(), "corrupt compressed data: " + ex.getMessage());
            } finally {
                inf.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw new Problem(Kind.MALFORMED, e.name(), String.format(Locale.ROOT, "CRC-32 %08x does not match the declared %08x",
                    crc.getValue(), e.crc()));
        }
        return out;
    }

    /**
     * Refuses names that could escape a directory or mean different things to different
     * readers: empty, absolute, drive letters, backslashes, NUL and control characters,
     * {@code .} and {@code ..} segments, empty segments.
     */
    static void checkName(String name) throws Problem {
        if (name.isEmpty()) {
            throw new Problem(Kind.NAME, name, "empty entry name");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new Problem(Kind.NAME, name.substring(0, 64) + "...", "entry name longer than " + MAX_NAME_CHARS + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                throw new Problem(Kind.NAME, printable(name), "entry name contains NUL");
            }
            if (c < 0x20 || c == 0x7f) {
                throw new Problem(Kind.NAME, printable(name), "entry name contains a control character");
            }
            if (c == '\\') {
                throw new Problem(Kind.NAME, name, "entry name contains a backslash");
            }
        }
        if (name.startsWith("/")) {
            throw new Problem(Kind.NAME, name, "absolute entry name");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw new Problem(Kind.NAME, name, "entry name with a drive letter");
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String seg : body.split("/", -1)) {
            if (seg.equals("..")) {
                throw new Problem(Kind.NAME, name, "path traversal ('..') in entry name");
            }
            if (seg.equals(".") || seg.isEmpty()) {
                throw new Problem(Kind.NAME, name, "empty or '.' segment in entry name");
            }
        }
    }

    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    private static String decodeName(byte[] raw) throws Problem {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new Problem(Kind.NAME, new String(raw, StandardCharsets.ISO_8859_1), "entry name is not valid UTF-8");
        }
    }

    /** JARs: META-INF names are compared without case, as the JDK finds manifests and signature files that way. */
    private static void checkDuplicates(List<Entry> entries, Profile profile) throws Problem {
        Set<String> seen = new HashSet<>();
        for (Entry e : entries) {
            String key = e.name();
            if (profile == Profile.JAR && key.toUpperCase(Locale.ROOT).startsWith("META-INF/")) {
                key = key.toUpperCase(Locale.ROOT);
            }
            if (!seen.add(key)) {
                throw new Problem(Kind.DUPLICATE, e.name(), "entry name occurs more than once");
            }
        }
    }

    /** Overlapping entries are how the worst zip bombs multiply their output. */
    private static void checkNoOverlap(List<Entry> entries) throws Problem {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::headerOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry prev = byOffset.get(i - 1);
            Entry cur = byOffset.get(i);
            if (prev.dataOffset() + prev.compressedSize() > cur.headerOffset()) {
                throw new Problem(Kind.MALFORMED, cur.name(), "overlaps the data of " + prev.name());
            }
        }
    }

    private static int findEnd(Window data, Profile profile) throws Problem {
        int last = data.length - END_LEN;
        if (profile == Profile.IMAGE) {
            if (s32(data, last) == END_SIG && u16(data, last + 20) == 0) {
                return last;
            }
            throw new Problem(Kind.MALFORMED, null, "no end-of-central-directory record at the end of the file");
        }
        int stop = Math.max(0, last - 0xFFFF);
        for (int p = last; p >= stop; p--) {
            if (s32(data, p) == END_SIG && p + END_LEN + u16(data, p + 20) == data.length) {
                return p;
            }
        }
        throw new Problem(Kind.MALFORMED, null, "no end-of-central-directory record");
    }

    private static int u16(Window b, int off) throws Problem {
        if (off < 0 || off + 2 > b.length) {
            throw new Problem(Kind.MALFORMED, null, "truncated: field at offset " + off + " is past the end");
        }
        int at = b.base + off;
        return (b.array[at] & 0xff) | (b.array[at + 1] & 0xff) << 8;
    }

    private static long u32(Window b, int off) throws Problem {
        return s32(b, off) & 0xFFFFFFFFL;
    }

    private static int s32(Window b, int off) throws Problem {
        if (off < 0 || off + 4 > b.length) {
            throw new Problem(Kind.MALFORMED, null, "truncated: field at offset " + off + " is past the end");
        }
        int at = b.base + off;
        return (b.array[at] & 0xff) | (b.array[at + 1] & 0xff) << 8 | (b.array[at + 2] & 0xff) << 16 | (b.array[at + 3] & 0xff) << 24;
    }

    /** The ZIP file's bytes: {@code length} bytes of {@code array} from {@code base}; offsets count from {@code base}. */
    private record Window(byte[] array, int base, int length) {
        byte[] copy(int from, int to) throws Problem {
            if (from < 0 || to > length || from > to) {
                throw new Problem(Kind.MALFORMED, null, "truncated: bytes " + from + ".." + to + " are past the end");
            }
            return Arrays.copyOfRange(array, base + from, base + to);
        }
    }
}
