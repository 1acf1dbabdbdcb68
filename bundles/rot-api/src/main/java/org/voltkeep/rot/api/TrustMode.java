package org.voltkeep.rot.api;

/**
 * How much a device trusts. Chosen at provisioning and visible in status, logs and
 * attestation, so that a desk device never passes for a field device.
 */
public enum TrustMode {
    /** Only code and images signed under the anchors with the proper role are accepted. */
    FIELD,
    /** Additionally accepts the {@link SignerRole#DEVELOPER} role: for desks and simulators. */
    DEVELOPMENT;

    /** Lower-case identifier used in files and on the command line ({@code field}, {@code development}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #id()}; the exception names the offending text. */
    public static TrustMode of(String id) {
        for (TrustMode m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown trust mode '" + id + "' (expected field or development)");
    }
}
