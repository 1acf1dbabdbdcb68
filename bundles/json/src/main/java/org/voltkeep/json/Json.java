package org.voltkeep.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value. Objects keep their key order so that written files read the way
 * they were built.
 */
public sealed interface Json permits Json.Obj, Json.Arr, Json.Str, Json.Num, Json.Bool, Json.Null {

    /** Deepest nesting accepted by {@link #parse(String)}. */
    int MAX_DEPTH = 64;

    static Json parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** Parses and insists on an object at the top. */
    static Obj parseObject(String text) {
        Json v = parse(text);
        if (v instanceof Obj o) {
            return o;
        }
        throw new JsonException("expected a JSON object at the top level, found " + v.typeName());
    }

    static Obj object() {
        return new Obj(new LinkedHashMap<>(), "$");
    }

    static Arr array() {
        return new Arr(new ArrayList<>(), "$");
    }

    static Json of(Object value) {
        if (value == null) {
            return Null.INSTANCE;
        } else if (value instanceof Json j) {
            return j;
        } else if (value instanceof String s) {
            return new Str(s);
        } else if (value instanceof Boolean b) {
            return b ? Bool.TRUE : Bool.FALSE;
        } else if (value instanceof Number n) {
            return new Num(new BigDecimal(n.toString()));
        } else if (value instanceof Enum<?> e) {
            return new Str(e.name());
        }
        throw new JsonException("cannot write a " + value.getClass().getSimpleName() + " as JSON");
    }

    String typeName();

    /** Compact single-line form; safe for JSON-lines protocols. */
    default String write() {
        StringBuilder sb = new StringBuilder();
        JsonWriter.write(this, sb, -1, 0);
        return sb.toString();
    }

    /** Indented form for files people read. */
    default String writePretty() {
        StringBuilder sb = new StringBuilder();
        JsonWriter.write(this, sb, 2, 0);
        return sb.append('\n').toString();
    }

    final class Obj implements Json {
        private final Map<String, Json> members;
        private final String path;

        Obj(Map<String, Json> members, String path) {
            this.members = members;
            this.path = path;
        }

        @Override
        public String typeName() {
            return "object";
        }

        public Map<String, Json> members() {
            return Collections.unmodifiableMap(members);
        }

        public boolean has(String key) {
            return members.containsKey(key);
        }

        public Obj put(String key, Object value) {
            members.put(key, Json.of(value));
            return this;
        }

        public Json get(String key) {
            Json v = members.get(key);
            if (v == null) {
                throw new JsonException(path + "." + key + ": missing");
            }
            return v;
        }

        public String path(String key) {
            return path + "." + key;
        }

        public String string(String key) {
            return asStr(get(key), path(key)).value();
        }

        public String string(String key, String fallback) {
            return has(key) ? string(key) : fallback;
        }

        public long integer(String key) {
            return asNum(get(key), path(key)).longValue(path(key));
        }

        public long integer(String key, long fallback) {
            return has(key) ? integer(key) : fallback;
        }

        /** A whole number within [min, max], or an error naming the path and range. */
        public long integer(String key, long min, long max) {
            long v = integer(key);
            if (v < min || v > max) {
                throw new JsonException(path(key) + ": " + v + " is outside " + min + ".." + max);
            }
            return v;
        }

        public double number(String key) {
            return asNum(get(key), path(key)).value().doubleValue();
        }

        public double number(String key, double fallback) {
            return has(key) ? number(key) : fallback;
        }

        public boolean bool(String key) {
            Json v = get(key);
            if (v instanceof Bool b) {
                return b.value();
            }
            throw new JsonException(path(key) + ": expected true or false, found " + v.typeName());
        }

        public boolean bool(String key, boolean fallback) {
            return has(key) ? bool(key) : fallback;
        }

        public Obj obj(String key) {
            Json v = get(key);
            if (v instanceof Obj o) {
                return o;
            }
            throw new JsonException(path(key) + ": expected an object, found " + v.typeName());
        }

        public Arr arr(String key) {
            Json v = get(key);
            if (v instanceof Arr a) {
                return a;
            }
            throw new JsonException(path(key) + ": expected an array, found " + v.typeName());
        }

        /** An enum constant by name, with the accepted names in the error. */
        public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String s = string(key);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw new JsonException(path(key) + ": '" + s + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        /** Rejects keys outside the allowed set, so typos in files are not silently ignored. */
        public Obj onlyKeys(String... allowed) {
            List<String> ok = List.of(allowed);
            for (String k : members.keySet()) {
                if (!ok.contains(k)) {
                    throw new JsonException(path(k) + ": unknown key (allowed: " + String.join(", ", ok) + ")");
                }
            }
            return this;
        }
    }

    final class Arr implements Json {
        private final List<Json> items;
        private final String path;

        Arr(List<Json> items, String path) {
            this.items = items;
            this.path = path;
        }

        @Override
        public String typeName() {
            return "array";
        }

        public List<Json> items() {
            return Collections.unmodifiableList(items);
        }

        public int size() {
            return items.size();
        }

        public Arr add(Object value) {
            items.add(Json.of(value));
            return this;
        }

        public String path(int index) {
            return path + "[" + index + "]";
        }

        public Obj obj(int index) {
            Json v = items.get(index);
            if (v instanceof Obj o) {
                return o;
            }
            throw new JsonException(path(index) + ": expected an object, found " + v.typeName());
        }

        public String string(int index) {
            return asStr(items.get(index), path(index)).value();
        }
    }

    record Str(String value) implements Json {
        @Override
        public String typeName() {
            return "string";
        }
    }

    record Num(BigDecimal value) implements Json {
        @Override
        public String typeName() {
            return "number";
        }

        long longValue(String path) {
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                throw new JsonException(path + ": expected a whole number, found " + value.toPlainString());
            }
        }
    }

    record Bool(boolean value) implements Json {
        static final Bool TRUE = new Bool(true);
        static final Bool FALSE = new Bool(false);

        @Override
        public String typeName() {
            return "boolean";
        }
    }

    final class Null implements Json {
        static final Null INSTANCE = new Null();

        private Null() {
        }

        @Override
        public String typeName() {
            return "null";
        }
    }

    private static Str asStr(Json v, String path) {
        if (v instanceof Str s) {
            return s;
        }
        throw new JsonException(path + ": expected a string, found " + v.typeName());
    }

    private static Num asNum(Json v, String path) {
        if (v instanceof Num n) {
            return n;
        }
        throw new JsonException(path + ": expected a number, found " + v.typeName());
    }
}
