package org.voltkeep.zones;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One {@code allow} or {@code deny} line of a zone section. */
record Rule(boolean allow, Kind kind, NamePattern pattern, Set<Origin> origins, int line) {

    /** What a rule is about. */
    enum Kind {
        /** Exported packages ({@code Import-Package}, {@code DynamicImport-Package}). */
        PACKAGE,
        /** Generic capabilities ({@code Require-Capability}), by namespace. */
        CAPABILITY,
        /** Services, by object class. */
        SERVICE,
        /** Bundles ({@code getBundles()}, bundle events), by symbolic name. */
        BUNDLE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Kind> parse(String id) {
            for (Kind k : values()) {
                if (k.id().equals(id)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    Rule {
        origins = Set.copyOf(origins);
    }

    boolean applies(Kind k, String name, Origin origin) {
        return kind == k && origins.contains(origin) && pattern.matches(name);
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + kind.id() + " " + pattern + " from "
                + origins.stream().sorted().map(Origin::id).collect(Collectors.joining(" "));
    }
}
