package org.voltkeep.rot.api;

import java.util.Locale;

/** The isolation zones a bundle can live in. A bundle's zone comes from its signer's role. */
public enum Zone {
    SAFETY,
    CORE,
    NETWORK;

    /** Lower-case identifier as written in image manifests ({@code safety}, {@code core}, {@code network}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; the exception names the offending text. */
    public static Zone of(String id) {
        for (Zone z : values()) {
            if (z.id().equals(id)) {
                return z;
            }
        }
        throw new IllegalArgumentException("unknown zone '" + id + "' (expected safety, core or network)");
    }
}
