package org.voltkeep.image;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.voltkeep.rot.api.TrustMode;

/**
 * What a device accepts: its trust anchors, its hardware name, its anti-rollback
 * floor, its trust mode and the size caps. Certificates are checked for validity at
 * the clock's current instant.
 *
 * @param anchors              trust anchors (root certificates), at least one
 * @param compatible           the device's hardware name; the image's must be equal
 * @param securityVersionFloor the lowest security version accepted
 * @param trustMode            {@link TrustMode#DEVELOPMENT} also accepts the developer signer role
 * @param limits               size caps
 * @param clock                verification time for certificate validity
 */
public record VerifyPolicy(List<X509Certificate> anchors, String compatible, long securityVersionFloor, TrustMode trustMode,
        Limits limits, Clock clock) {

    /**
     * Size caps; everything is checked against them before it is read.
     *
     * @param maxImageBytes       the image file, and the sum of all its entries' sizes
     * @param maxEntryBytes       one entry of the image, and one entry inside a bundle
     * @param maxEntries          entries of the image
     * @param maxBundleEntries    entries inside one bundle JAR
     */
    public record Limits(long maxImageBytes, long maxEntryBytes, int maxEntries, int maxBundleEntries) {
        /** 256 MiB image, 64 MiB per entry, 1000 entries, 20000 entries per bundle. */
        public static final Limits DEFAULT = new Limits(256L << 20, 64L << 20, 1000, 20_000);

        public Limits {
            if (maxImageBytes <= 0 || maxEntryBytes <= 0 || maxEntries <= 0 || maxBundleEntries <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxImageBytes + ", " + maxEntryBytes + ", "
                        + maxEntries + ", " + maxBundleEntries);
            }
            if (maxImageBytes > Integer.MAX_VALUE - 64 || maxEntryBytes > maxImageBytes) {
                throw new IllegalArgumentException("maxImageBytes must stay below 2 GiB and maxEntryBytes within it: "
                        + maxImageBytes + ", " + maxEntryBytes);
            }
        }
    }

    public VerifyPolicy {
        anchors = List.copyOf(anchors);
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("a verify policy needs at least one trust anchor");
        }
        Objects.requireNonNull(compatible, "compatible");
        if (securityVersionFloor < 0) {
            throw new IllegalArgumentException("securityVersionFloor " + securityVersionFloor + " is negative");
        }
        Objects.requireNonNull(trustMode, "trustMode");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
    }

    /** Field trust, default caps, the system clock. */
    public static VerifyPolicy of(List<X509Certificate> anchors, String compatible, long securityVersionFloor) {
        return new VerifyPolicy(anchors, compatible, securityVersionFloor, TrustMode.FIELD, Limits.DEFAULT,
                Clock.systemUTC());
    }

    public VerifyPolicy withTrustMode(TrustMode mode) {
        return new VerifyPolicy(anchors, compatible, securityVersionFloor, mode, limits, clock);
    }

    public VerifyPolicy withLimits(Limits newLimits) {
        return new VerifyPolicy(anchors, compatible, securityVersionFloor, trustMode, newLimits, clock);
    }

    public VerifyPolicy withClock(Clock newClock) {
        return new VerifyPolicy(anchors, compatible, securityVersionFloor, trustMode, limits, newClock);
    }

    public VerifyPolicy withFloor(long floor) {
        return new VerifyPolicy(anchors, compatible, floor, trustMode, limits, clock);
    }
}
