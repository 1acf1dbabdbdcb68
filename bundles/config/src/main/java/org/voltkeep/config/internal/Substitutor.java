package org.voltkeep.config.internal;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${name}} in a value with a framework property. Replacement
 * text is not scanned again, so a property value can never pull in another
 * property. A value cannot contain a literal {@code ${}: no configuration of
 * this runtime needs one, and an escape syntax would be one more thing to get
 * wrong in a file. A {@code $} not followed by {@code {} stays as it is.
 */
final class Substitutor {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final Function<String, String> properties;

    /** @param properties the framework property of a name, or null when it is not set */
    Substitutor(Function<String, String> properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    String substitute(String value, String where) throws CfgException {
        int ref = value.indexOf("${");
        if (ref < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 32);
        int from = 0;
        while (ref >= 0) {
            int close = value.indexOf('}', ref + 2);
            if (close < 0) {
                throw new CfgException(where, "'${' at column " + (ref + 1) + " of the value has no closing '}'");
            }
            String name = value.substring(ref + 2, close);
            if (!NAME.matcher(name).matches()) {
                throw new CfgException(where, "'${" + name + "}' is not a property reference (names are A-Z a-z 0-9 . _ -)");
            }
            String replacement = properties.apply(name);
            if (replacement == null) {
                throw new CfgException(where, "unknown framework property ${" + name + "}");
            }
            sb.append(value, from, ref).append(replacement);
            from = close + 1;
            ref = value.indexOf("${", from);
        }
        return sb.append(value, from, value.length()).toString();
    }
}
