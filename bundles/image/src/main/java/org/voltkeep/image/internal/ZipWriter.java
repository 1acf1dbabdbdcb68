package org.voltkeep.image.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes the canonical image layout that {@link ZipArchive.Profile#IMAGE} accepts: stored
 * entries back to back from offset 0, UTF-8 names, a fixed timestamp (1980-01-01, so the
 * same content gives the same bytes), no extra fields, no comments, no data descriptors.
 * JAR bundles are already compressed, so storing costs nothing and lets a verifier hash
 * entries in place.
 */
public final class ZipWriter {
    private static final int VERSION_STORED = 10;
    private static final int FLAG_UTF8 = 0x0800;
    private static final int DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private final List<String> names = new ArrayList<>();

    /** Appends one stored entry. Names are not checked here; the verifier checks them. */
    public ZipWriter add(String name, byte[] content) {
        byte[] rawName = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(content);
        long offset = out.size();
        header(out, 0x04034b50, false, rawName, crc.getValue(), content.length, offset);
        out.writeBytes(rawName);
        out.writeBytes(content);
        header(central, 0x02014b50, true, rawName, crc.getValue(), content.length, offset);
        central.writeBytes(rawName);
        names.add(name);
        return this;
    }

    /** The finished ZIP file. */
    public byte[] toByteArray() {
        ByteArrayOutputStream zip = new ByteArrayOutputStream(out.size() + central.size() + 22);
        zip.writeBytes(out.toByteArray());
        long cdOffset = zip.size();
        zip.writeBytes(central.toByteArray());
        int32(zip, 0x06054b50);
        int16(zip, 0);
        int16(zip, 0);
        int16(zip, names.size());
        int16(zip, names.size());
        int32(zip, central.size());
        int32(zip, cdOffset);
        int16(zip, 0);
        return zip.toByteArray();
    }

    private static void header(ByteArrayOutputStream o, int sig, boolean centralHeader, byte[] name, long crc, long size, long offset) {
        int32(o, sig);
        if (centralHeader) {
            int16(o, VERSION_STORED);
        }
        int16(o, VERSION_STORED);
        int16(o, FLAG_UTF8);
        int16(o, 0);
        int16(o, 0);
        int16(o, DOS_DATE_1980_01_01);
        int32(o, crc);
        int32(o, size);
        int32(o, size);
        int16(o, name.length);
        int16(o, 0);
        if (centralHeader) {
            int16(o, 0);
            int16(o, 0);
            int16(o, 0);
            int32(o, 0);
            int32(o, offset);
        }
    }

    private static void int16(ByteArrayOutputStream o, int v) {
        o.write(v & 0xff);
        o.write((v >>> 8) & 0xff);
    }

    private static void int32(ByteArrayOutputStream o, long v) {
        int16(o, (int) (v & 0xffff));
        int16(o, (int) ((v >>> 16) & 0xffff));
    }
}
