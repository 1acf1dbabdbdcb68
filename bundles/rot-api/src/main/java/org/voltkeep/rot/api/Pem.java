package org.voltkeep.rot.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 7468 PEM: strict enough to refuse garbage, lenient about text between blocks (openssl writes some). */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END ([A-Z0-9 ]+)-----");
    private static final Pattern ANY_BEGIN = Pattern.compile("-----BEGIN ");

    /** One decoded block. */
    public record Block(String type, byte[] der) {
        public Block {
            Objects.requireNonNull(type, "type");
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    private Pem() {
    }

    /** {@code -----BEGIN type-----}, base64 in 64-character lines, {@code -----END type-----}, trailing newline. */
    public static String encode(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    /**
     * Every block of {@code text}, in order.
     *
     * @throws RotException if a block is unterminated, its END type differs, or its base64 is malformed
     */
    public static List<Block> decode(String text) throws RotException {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        int begins = 0;
        Matcher b = ANY_BEGIN.matcher(text);
        while (b.find()) {
            begins++;
        }
        while (m.find()) {
            String type = m.group(1);
            if (!type.equals(m.group(3))) {
                throw new RotException("PEM block " + (blocks.size() + 1) + ": BEGIN " + type + " ends with END " + m.group(3));
            }
            try {
                blocks.add(new Block(type, Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new RotException("PEM block " + (blocks.size() + 1) + " (" + type + "): malformed base64: " + e.getMessage(), e);
            }
        }
        if (begins != blocks.size()) {
            throw new RotException("PEM text has " + begins + " BEGIN lines but only " + blocks.size() + " well-formed blocks");
        }
        return blocks;
    }
}
