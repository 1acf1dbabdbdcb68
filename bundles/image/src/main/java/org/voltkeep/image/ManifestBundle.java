package org.voltkeep.image;

import java.util.Objects;
import org.voltkeep.rot.api.Zone;

/**
 * A bundle the manifest lists. Its path is always {@code bundles/<domain>/<symbolicName>.jar};
 * a bundle that runs in both domains is listed twice, once per domain, each copy signed
 * for its own zone.
 */
public record ManifestBundle(String path, String symbolicName, String version, BundleDomain domain, Zone zone,
        String sha256, long sizeBytes) {

    public ManifestBundle {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(sha256, "sha256");
        if (!ImageFormat.SYMBOLIC_NAME.matcher(symbolicName).matches() || symbolicName.length() > 200) {
            throw new IllegalArgumentException(path + ": symbolicName '" + symbolicName + "' is not a bundle symbolic name");
        }
        if (!ImageFormat.OSGI_VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(path + ": version '" + version + "' is not an OSGi version");
        }
        String expected = ImageFormat.bundlePath(domain, symbolicName);
        if (!path.equals(expected)) {
            throw new IllegalArgumentException("bundle path '" + path + "' should be '" + expected + "' for "
                    + symbolicName + " in domain " + domain.id());
        }
        if (!ImageFormat.SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException(path + ": sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(path + ": size " + sizeBytes + " is negative");
        }
    }

    /** Whether domain and zone fit together: the safety domain runs only the safety zone, and only there. */
    public boolean domainMatchesZone() {
        return (domain == BundleDomain.SAFETY) == (zone == Zone.SAFETY);
    }
}
