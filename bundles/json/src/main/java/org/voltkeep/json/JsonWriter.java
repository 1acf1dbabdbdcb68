package org.voltkeep.json;

import java.util.Iterator;
import java.util.Map;

final class JsonWriter {
    private JsonWriter() {
    }

    static void write(Json v, StringBuilder sb, int indent, int level) {
        if (v instanceof Json.Obj o) {
            writeObject(o, sb, indent, level);
        } else if (v instanceof Json.Arr a) {
            writeArray(a, sb, indent, level);
        } else if (v instanceof Json.Str s) {
            quote(s.value(), sb);
        } else if (v instanceof Json.Num n) {
            sb.append(n.value().toPlainString());
        } else if (v instanceof Json.Bool b) {
            sb.append(b.value());
        } else {
            sb.append("null");
        }
    }

    private static void writeObject(Json.Obj o, StringBuilder sb, int indent, int level) {
        sb.append('{');
        Iterator<Map.Entry<String, Json>> it = o.members().entrySet().iterator();
        boolean any = it.hasNext();
        while (it.hasNext()) {
            Map.Entry<String, Json> e = it.next();
            newline(sb, indent, level + 1);
            quote(e.getKey(), sb);
            sb.append(indent < 0 ? ":" : ": ");
            write(e.getValue(), sb, indent, level + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        if (any) {
            newline(sb, indent, level);
        }
        sb.append('}');
    }

    private static void writeArray(Json.Arr a, StringBuilder sb, int indent, int level) {
        sb.append('[');
        for (int i = 0; i < a.size(); i++) {
            newline(sb, indent, level + 1);
            write(a.items().get(i), sb, indent, level + 1);
            if (i + 1 < a.size()) {
                sb.append(',');
            }
        }
        if (a.size() > 0) {
            newline(sb, indent, level);
        }
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * level));
        }
    }

    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
