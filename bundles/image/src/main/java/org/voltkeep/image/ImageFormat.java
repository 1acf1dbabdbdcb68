package org.voltkeep.image;

import java.util.regex.Pattern;

/**
 * The fixed names and syntax of an image file. An image is a ZIP file holding exactly
 * {@link #MANIFEST}, {@link #SIGNATURE}, {@link #SBOM}, {@code bundles/<domain>/<symbolicName>.jar}
 * and {@code config/<domain>/<pid>.cfg}; nothing else is accepted.
 */
public final class ImageFormat {
    /** The manifest schema this library reads and writes. */
    public static final int SCHEMA_VERSION = 1;
    /** The manifest (JSON, UTF-8). */
    public static final String MANIFEST = "manifest.json";
    /** Detached CMS SignedData (DER) over the exact bytes of {@link #MANIFEST}. */
    public static final String SIGNATURE = "manifest.json.p7s";
    /** CycloneDX 1.5 JSON SBOM listing every bundle with its SHA-256. */
    public static final String SBOM = "sbom.cdx.json";
    /** Largest manifest accepted: far above any real one, small enough to parse without worry. */
    public static final int MAX_MANIFEST_BYTES = 1024 * 1024;
    /** Largest signature file accepted. */
    public static final int MAX_SIGNATURE_BYTES = 64 * 1024;

    /** A name segment: letters, digits, dot, underscore, hyphen, not starting with a dot. */
    static final String SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}";
    /** An OSGi Bundle-SymbolicName as the manifest carries it (no directives). */
    public static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** A configuration PID. */
    public static final Pattern PID = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(~[A-Za-z0-9_.-]+)?");
    /** An OSGi version: major[.minor[.micro[.qualifier]]]. */
    public static final Pattern OSGI_VERSION = Pattern.compile("\\d{1,9}(\\.\\d{1,9}(\\.\\d{1,9}(\\.[A-Za-z0-9_-]+)?)?)?");
    /** Semantic Versioning 2.0.0. */
    public static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
            + "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    /** The hardware an image is built for, as the device names itself. */
    public static final Pattern COMPATIBLE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** A SHA-256 digest, lower-case hex. */
    public static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private static final Pattern BUNDLE_ENTRY = Pattern.compile("bundles/(safety|app)/" + SEGMENT + "\\.jar");
    private static final Pattern CONFIG_ENTRY = Pattern.compile("config/(safety|app)/" + SEGMENT + "\\.cfg");

    private ImageFormat() {
    }

    /** The entry name of a bundle in an image. */
    public static String bundlePath(BundleDomain domain, String symbolicName) {
        return "bundles/" + domain.id() + "/" + symbolicName + ".jar";
    }

    /** The entry name of a configuration file in an image. */
    public static String configPath(BundleDomain domain, String pid) {
        return "config/" + domain.id() + "/" + pid + ".cfg";
    }

    /** Whether {@code name} is one of the names an image may contain. */
    public static boolean isAllowedEntryName(String name) {
        return name.equals(MANIFEST) || name.equals(SIGNATURE) || name.equals(SBOM)
                || BUNDLE_ENTRY.matcher(name).matches() || CONFIG_ENTRY.matcher(name).matches();
    }
}
