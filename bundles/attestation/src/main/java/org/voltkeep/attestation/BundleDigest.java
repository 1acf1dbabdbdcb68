package org.voltkeep.attestation;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One bundle a domain was started with.
 *
 * @param symbolicName its {@code Bundle-SymbolicName}, prefixed with its domain ({@code safety/} or
 *                     {@code app/}) where an image holds a bundle for each domain, signed for each
 * @param sha256       SHA-256 of the JAR file as installed, lowercase hex
 */
public record BundleDigest(String symbolicName, String sha256) {
    private static final Pattern NAME = Pattern.compile("((safety|app)/)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    public BundleDigest {
        Objects.requireNonNull(symbolicName, "symbolicName");
        if (!NAME.matcher(symbolicName).matches()) {
            throw new IllegalArgumentException("bundle symbolic name '" + symbolicName
                    + "' is not 1 to 255 characters of letters, digits, '_', '.' and '-' (optionally after safety/ or app/)");
        }
        Checks.requireSha256("sha256 of bundle " + symbolicName, sha256);
    }
}
