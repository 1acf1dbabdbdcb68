package org.voltkeep.config.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code .cfg} file into the properties to give Configuration Admin, or
 * a {@link CfgException} that says where and what is wrong. Pure apart from
 * reading the file, so it is tested without a framework.
 */
final class CfgFileReader {
    /** Configuration files are a few lines; anything this large is not one. */
    static final int MAX_BYTES = 256 * 1024;
    /** Keys Configuration Admin manages itself; a file must not forge them. */
    static final Set<String> RESERVED_KEYS = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    /** A file that can be applied. */
    record Parsed(CfgTarget target, Map<String, String> properties) {
        Parsed {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
    }

    private final Substitutor substitutor;

    CfgFileReader(Substitutor substitutor) {
        this.substitutor = substitutor;
    }

    Parsed read(Path file) throws CfgException {
        CfgTarget target = CfgTarget.fromFileName(file.getFileName().toString());
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CfgException("", "larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CfgException("", "cannot be read: " + e);
        }
        return parse(target, bytes);
    }

    Parsed parse(CfgTarget target, byte[] bytes) throws CfgException {
        if (bytes.length > MAX_BYTES) {
            throw new CfgException("", "larger than " + MAX_BYTES + " bytes");
        }
        String text = decodeUtf8(bytes);
        Map<String, PropertiesParser.Entry> entries = PropertiesParser.parse(text);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, PropertiesParser.Entry> e : entries.entrySet()) {
            String key = e.getKey();
            String where = CfgException.at(e.getValue().line(), key);
            if (RESERVED_KEYS.contains(key) || key.equals(ConfigSync.SOURCE_KEY)) {
                throw new CfgException(where, "reserved key: Configuration Admin or the loader sets it");
            }
            out.put(key, substitutor.substitute(e.getValue().value(), where));
        }
        return new Parsed(target, out);
    }

    /**
     * Strict UTF-8: a file in another encoding would otherwise load with
     * replacement characters in its values and nobody would notice.
     */
    private static String decodeUtf8(byte[] bytes) throws CfgException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new CfgException("line " + line, "not valid UTF-8 (byte offset " + in.position() + ")");
        }
        decoder.flush(out);
        out.flip();
        String s = out.toString();
        // a byte order mark some editors write is not part of the first key
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
