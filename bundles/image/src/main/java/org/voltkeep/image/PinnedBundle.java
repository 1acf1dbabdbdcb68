package org.voltkeep.image;

import java.io.InputStream;
import java.util.Objects;
import org.voltkeep.image.internal.Slice;
import org.voltkeep.rot.api.Zone;

/**
 * A bundle read back from a slot's image whose SHA-256 and size equal what the pinned
 * manifest lists: the bytes the first boot stage verified. Only {@link PinnedImage} makes
 * these.
 */
public final class PinnedBundle {
    private final ManifestBundle listed;
    private final Slice bytes;

    PinnedBundle(ManifestBundle listed, Slice bytes) {
        this.listed = Objects.requireNonNull(listed, "listed");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** The entry name in the image ({@code bundles/<domain>/<symbolicName>.jar}). */
    public String path() {
        return listed.path();
    }

    public String symbolicName() {
        return listed.symbolicName();
    }

    public String version() {
        return listed.version();
    }

    public BundleDomain domain() {
        return listed.domain();
    }

    public Zone zone() {
        return listed.zone();
    }

    /** SHA-256 of the bytes, as the manifest lists it (and as they were found to be). */
    public String sha256() {
        return listed.sha256();
    }

    public int sizeBytes() {
        return bytes.length();
    }

    /** The checked JAR bytes as a stream, without copying them. */
    public InputStream openStream() {
        return bytes.stream();
    }

    @Override
    public String toString() {
        return "PinnedBundle[" + path() + " " + symbolicName() + " " + version() + ", sha256=" + sha256() + "]";
    }
}
