package org.voltkeep.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser (RFC 8259) with a depth limit; errors give line and column. */
final class JsonParser {
    private final String s;
    private int pos;

    JsonParser(String text) {
        this.s = text;
    }

    Json parseDocument() {
        skipWs();
        Json v = value("$", 0);
        skipWs();
        if (pos != s.length()) {
            throw error("unexpected text after the value");
        }
        return v;
    }

    private Json value(String path, int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw error("nesting deeper than " + Json.MAX_DEPTH);
        }
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(path, depth);
            case '[':
                return array(path, depth);
            case '"':
                return new Json.Str(string());
            case 't':
                literal("true");
                return Json.Bool.TRUE;
            case 'f':
                literal("false");
                return Json.Bool.FALSE;
            case 'n':
                literal("null");
                return Json.Null.INSTANCE;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Json.Obj object(String path, int depth) {
        pos++;
        Map<String, Json> members = new LinkedHashMap<>();
        skipWs();
        if (peek() == '}') {
            pos++;
            return new Json.Obj(members, path);
        }
        while (true) {
            skipWs();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            String key = string();
            if (members.containsKey(key)) {
                throw error("duplicate key '" + key + "'");
            }
            skipWs();
            expect(':');
            skipWs();
            members.put(key, value(path + "." + key, depth + 1));
            skipWs();
            char c = next();
            if (c == '}') {
                return new Json.Obj(members, path);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private Json.Arr array(String path, int depth) {
        pos++;
        List<Json> items = new ArrayList<>();
        skipWs();
        if (peek() == ']') {
            pos++;
            return new Json.Arr(items, path);
        }
        while (true) {
            skipWs();
            items.add(value(path + "[" + items.size() + "]", depth + 1));
            skipWs();
            char c = next();
            if (c == ']') {
                return new Json.Arr(items, path);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private Json.Num number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        digits();
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (text.length() > 1 && (text.startsWith("0") && Character.isDigit(text.charAt(1))
                || text.startsWith("-0") && text.length() > 2 && Character.isDigit(text.charAt(2)))) {
            pos = start;
            throw error("leading zero in number");
        }
        return new Json.Num(new BigDecimal(text));
    }

    private void digits() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a digit");
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        return s.charAt(pos++);
    }

    private void expect(char c) {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private JsonException error(String what) {
        if (pos >= s.length() && !what.startsWith("unexpected end")) {
            what = "unexpected end of input (" + what + ")";
        }
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new JsonException("JSON line " + line + " column " + col + ": " + what);
    }
}
