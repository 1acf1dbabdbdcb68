package org.voltkeep.launcher;

import java.util.Locale;

/** The two processes of a charger. */
enum Domain {
    /** Owns the board; runs the IEC 61851 controller; trusts nobody. */
    SAFETY,
    /** Network, updates, sessions; talks to safety only through the link. */
    APP;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Domain parse(String s) throws UsageException {
        for (Domain d : values()) {
            if (d.id().equals(s)) {
                return d;
            }
        }
        throw new UsageException("unknown domain '" + s + "' (safety or app)");
    }
}
