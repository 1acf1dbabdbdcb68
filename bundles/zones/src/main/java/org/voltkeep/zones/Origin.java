package org.voltkeep.zones;

import java.util.Locale;
import java.util.Optional;

import org.voltkeep.rot.api.Zone;

/**
 * Where a package, capability, service or bundle comes from: the framework itself
 * (the system bundle: the JDK's packages and the OSGi framework API) or a bundle of
 * a zone.
 */
public enum Origin {
    /** The system bundle. */
    FRAMEWORK(null),
    SAFETY(Zone.SAFETY),
    CORE(Zone.CORE),
    NETWORK(Zone.NETWORK);

    private final Zone zone;

    Origin(Zone zone) {
        this.zone = zone;
    }

    /** The zone of a bundle origin; empty for the framework. */
    public Optional<Zone> zone() {
        return Optional.ofNullable(zone);
    }

    /** Lower-case identifier as written in a zone policy ({@code framework}, {@code core}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The origin of bundles of {@code zone}. */
    public static Origin of(Zone zone) {
        return switch (zone) {
            case SAFETY -> SAFETY;
            case CORE -> CORE;
            case NETWORK -> NETWORK;
        };
    }

    /** Parses {@link #id()}; empty when {@code id} names no origin. */
    static Optional<Origin> parse(String id) {
        for (Origin o : values()) {
            if (o.id().equals(id)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
