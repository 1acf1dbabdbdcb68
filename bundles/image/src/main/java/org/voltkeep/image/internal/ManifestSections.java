package org.voltkeep.image.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw sections of a JAR's {@code META-INF/MANIFEST.MF}, as a signature file's digests
 * cover them (JAR File Specification, "Signature File"): the main section, then one
 * section per {@code Name:}, each section's bytes running up to and including the blank
 * line that ends it. A section digest is taken over exactly these bytes; signers of the
 * Netscape era left the blank line out, so that form is offered too.
 *
 * <p>Lines end with CR LF, LF or CR. A last section without a line end is not a section
 * (the JDK ignores it too). Sections of the same name belong together; their digest is
 * over all of them, in order.
 */
final class ManifestSections {

    /** Where one section lies in the manifest. */
    private record Section(int start, int endWithoutBlank, int endWithBlank) {
    }

    private final byte[] raw;
    private final Section main;
    private final Map<String, List<Section>> named = new HashMap<>();

    private ManifestSections(byte[] raw) {
        this.raw = raw;
        List<Section> all = new ArrayList<>();
        int start = 0;
        while (start < raw.length) {
            Section s = sectionAt(start);
            if (s == null) {
                break;
            }
            all.add(s);
            start = s.endWithBlank();
        }
        this.main = all.isEmpty() ? null : all.get(0);
        for (int i = 1; i < all.size(); i++) {
            Section s = all.get(i);
            String name = nameOf(s);
            if (name != null) {
                named.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
            }
        }
    }

    static ManifestSections of(byte[] manifest) {
        return new ManifestSections(manifest);
    }

    /** Digest of the whole manifest. */
    byte[] digestOfAll(MessageDigest md) {
        md.reset();
        md.update(raw);
        return md.digest();
    }

    boolean hasMain() {
        return main != null;
    }

    /** Digest of the main section, blank line included. */
    byte[] digestOfMain(MessageDigest md) {
        return digest(md, List.of(main), true);
    }

    boolean has(String name) {
        return named.containsKey(name);
    }

    /**
     * Digest of the sections named {@code name}.
     *
     * @param withBlankLine false for the form that leaves each section's ending blank line out
     */
    byte[] digestOf(String name, MessageDigest md, boolean withBlankLine) {
        return digest(md, named.get(name), withBlankLine);
    }

    private byte[] digest(MessageDigest md, List<Section> sections, boolean withBlankLine) {
        md.reset();
        for (Section s : sections) {
            int end = withBlankLine ? s.endWithBlank() : s.endWithoutBlank();
            md.update(raw, s.start(), end - s.start());
        }
        return md.digest();
    }

    /**
     * The section starting at {@code start}: its lines up to a blank line (or the end of the
     * data right after a line end). Null when the rest holds no complete line.
     */
    private Section sectionAt(int start) {
        int i = start;
        int lastLineEnd = -1;
        boolean lineEmpty = true;
        while (i < raw.length) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') {
                int next = (b == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') ? i + 2 : i + 1;
                if (lineEmpty) {
                    // a blank line ends the section; a section of blank lines only is one as well
                    return new Section(start, lastLineEnd < 0 ? start : lastLineEnd, next);
                }
                if (next == raw.length) {
                    return new Section(start, next, next);
                }
                lastLineEnd = next;
                lineEmpty = true;
                i = next;
                continue;
            }
            lineEmpty = false;
            i++;
        }
        return null;
    }

    /** The name a section gives in its first line ({@code Name: } in any letter case), with continuation lines; or null. */
    private String nameOf(Section s) {
        int p = s.start();
        int end = s.endWithoutBlank();
        if (end - p < 6 || !startsWithNameHeader(p)) {
            return null;
        }
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        int i = p + 6;
        while (true) {
            int lineStart = i;
            while (i < end && raw[i] != '\r' && raw[i] != '\n') {
                i++;
            }
            name.write(raw, lineStart, i - lineStart);
            if (i < end && raw[i] == '\r') {
                i++;
            }
            if (i < end && raw[i] == '\n') {
                i++;
            }
            if (i < end && raw[i] == ' ') {
                i++; // a continuation line: its leading space is not part of the value
            } else {
                break;
            }
        }
        return name.toString(StandardCharsets.UTF_8);
    }

    private boolean startsWithNameHeader(int p) {
        return (raw[p] | 0x20) == 'n' && (raw[p + 1] | 0x20) == 'a' && (raw[p + 2] | 0x20) == 'm' && (raw[p + 3] | 0x20) == 'e'
                && raw[p + 4] == ':' && raw[p + 5] == ' ';
    }
}
