package org.voltkeep.zones;

import java.util.regex.Pattern;

/**
 * A dotted name pattern of a zone policy: {@code *} (every name), {@code a.b} (exactly
 * that name) or {@code a.b.*} ({@code a.b} itself and every name below it, so
 * {@code org.voltkeep.hal.*} also covers the package {@code org.voltkeep.hal}).
 */
record NamePattern(String text, String stem, Form form) {

    enum Form { ALL, EXACT, SUBTREE }

    /** One segment of a package, class, namespace or symbolic name. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_$-]+");

    static NamePattern parse(String text) {
        if (text.equals("*")) {
            return new NamePattern(text, "", Form.ALL);
        }
        boolean subtree = text.endsWith(".*");
        String stem = subtree ? text.substring(0, text.length() - 2) : text;
        if (stem.isEmpty()) {
            throw new IllegalArgumentException("pattern '" + text + "' names nothing");
        }
        for (String segment : stem.split("\\.", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("pattern '" + text + "' is not a dotted name, 'name.*' or '*'"
                        + (text.contains("*") ? " (a '*' may stand only alone or as the last segment)" : ""));
            }
        }
        return new NamePattern(text, stem, subtree ? Form.SUBTREE : Form.EXACT);
    }

    boolean matches(String name) {
        return switch (form) {
            case ALL -> true;
            case EXACT -> name.equals(stem);
            case SUBTREE -> name.equals(stem) || name.startsWith(stem + ".");
        };
    }

    /** Whether every name {@code other} matches is matched by this pattern too. */
    boolean covers(NamePattern other) {
        return switch (form) {
            case ALL -> true;
            case EXACT -> other.form == Form.EXACT && other.stem.equals(stem);
            case SUBTREE -> other.form != Form.ALL && matches(other.stem);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
