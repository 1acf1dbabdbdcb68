package org.voltkeep.data;

/**
 * The version of a store's format. A new <em>minor</em> version only adds (fields,
 * files, values readers may ignore); readers of the same major read it. A new
 * <em>major</em> version is a breaking change and needs a {@link Migration}.
 */
public record SchemaVersion(int major, int minor) implements Comparable<SchemaVersion> {

    /** What a store written before versions were recorded is: every such store is 1.0. */
    public static final SchemaVersion UNRECORDED = new SchemaVersion(1, 0);

    public SchemaVersion {
        if (major < 1) {
            throw new IllegalArgumentException("major version " + major + " must be 1 or more");
        }
        if (minor < 0) {
            throw new IllegalArgumentException("minor version " + minor + " must be 0 or more");
        }
    }

    public static SchemaVersion of(int major, int minor) {
        return new SchemaVersion(major, minor);
    }

    /** The newer of the two. */
    public SchemaVersion max(SchemaVersion other) {
        return compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(SchemaVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
