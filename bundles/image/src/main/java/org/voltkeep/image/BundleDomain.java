package org.voltkeep.image;

import java.util.Locale;

/** The process a bundle runs in: the safety domain (owns the board) or the application domain. */
public enum BundleDomain {
    SAFETY,
    APP;

    /** Lower-case identifier as written in manifests and entry names ({@code safety}, {@code app}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; the exception names the offending text. */
    public static BundleDomain of(String id) {
        for (BundleDomain d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown domain '" + id + "' (expected safety or app)");
    }
}
