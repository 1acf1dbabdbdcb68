package org.voltkeep.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@link java.util.Properties} text format (comments, {@code = : }
 * or blank separators, backslash continuations, escapes) the way
 * {@code Properties.load} does, but keeps the line of every key so that a
 * refusal can say where the problem is, and is stricter where the JDK silently
 * guesses: a malformed {@code \}{@code uXXXX}, an empty key and a duplicate key are errors.
 */
final class PropertiesParser {

    /** A value with the line its logical line starts on. */
    record Entry(String value, int line) {
    }

    private final String text;
    private int pos;
    private int line = 1;

    private PropertiesParser(String text) {
        this.text = text;
    }

    /** The entries in file order. */
    static Map<String, Entry> parse(String text) throws CfgException {
        return new PropertiesParser(text).entries();
    }

    private Map<String, Entry> entries() throws CfgException {
        Map<String, Entry> out = new LinkedHashMap<>();
        while (pos < text.length()) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r') {
                endOfLine();
                continue;
            }
            if (c == '#' || c == '!') {
                // comments never continue onto the next line, whatever they end with
                while (pos < text.length() && !isEol(text.charAt(pos))) {
                    pos++;
                }
                endOfLine();
                continue;
            }
            int startLine = line;
            String logical = logicalLine();
            entry(logical, startLine, out);
        }
        return out;
    }

    /** The rest of a logical line, joined over continuations, escapes still in place. */
    private String logicalLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int start = pos;
            while (pos < text.length() && !isEol(text.charAt(pos))) {
                pos++;
            }
            String natural = text.substring(start, pos);
            int backslashes = 0;
            for (int i = natural.length() - 1; i >= 0 && natural.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            boolean continued = backslashes % 2 == 1;
            sb.append(natural, 0, continued ? natural.length() - 1 : natural.length());
            endOfLine();
            if (!continued || pos >= text.length()) {
                return sb.toString();
            }
            skipBlanks();
        }
    }

    private void entry(String logical, int startLine, Map<String, Entry> out) throws CfgException {
        int i = 0;
        StringBuilder rawKey = new StringBuilder();
        while (i < logical.length()) {
            char c = logical.charAt(i);
            if (c == '\\' && i + 1 < logical.length()) {
                rawKey.append(c).append(logical.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || isBlank(c)) {
                break;
            }
            rawKey.append(c);
            i++;
        }
        while (i < logical.length() && isBlank(logical.charAt(i))) {
            i++;
        }
        if (i < logical.length() && (logical.charAt(i) == '=' || logical.charAt(i) == ':')) {
            i++;
        }
        while (i < logical.length() && isBlank(logical.charAt(i))) {
            i++;
        }
        String key = unescape(rawKey.toString(), "line " + startLine + ", key");
        if (key.isEmpty()) {
            throw new CfgException("line " + startLine, "empty key");
        }
        String value = unescape(logical.substring(i), CfgException.at(startLine, key));
        Entry before = out.putIfAbsent(key, new Entry(value, startLine));
        if (before != null) {
            throw new CfgException(CfgException.at(startLine, key), "duplicate key (first set on line " + before.line() + ")");
        }
    }

    private static String unescape(String raw, String where) throws CfgException {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= raw.length()) {
                // a lone trailing backslash at end of file: Properties drops it too
                break;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 >= raw.length()) {
                        throw new CfgException(where, "malformed \\u escape: needs 4 hex digits");
                    }
                    String hex = raw.substring(i + 1, i + 5);
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(hex.charAt(k), 16);
                        if (d < 0) {
                            throw new CfgException(where, "malformed \\u escape '\\u" + hex + "': needs 4 hex digits");
                        }
                        cp = cp * 16 + d;
                    }
                    sb.append((char) cp);
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private void endOfLine() {
        if (pos >= text.length()) {
            return;
        }
        if (text.charAt(pos) == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
            pos++;
        }
        pos++;
        line++;
    }

    private static boolean isEol(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }
}
