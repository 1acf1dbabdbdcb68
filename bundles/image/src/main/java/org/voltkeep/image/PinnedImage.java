package org.voltkeep.image;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.ImageFile;
import org.voltkeep.image.internal.Slice;
import org.voltkeep.image.internal.ZipArchive;

/**
 * One domain's bundles, read from a slot's image after the first boot stage verified that
 * image with {@link ImageVerifier}, and pinned to what it verified: the manifest here must
 * have the SHA-256 the first stage reported ({@link VerifiedImage#manifestSha256()}), so it
 * is the manifest whose signature, chain, compatibility and floor were checked; and every
 * bundle of the domain must have the size and SHA-256 that manifest lists, so it is the JAR
 * whose signatures were checked. Anything else is refused, naming the entry.
 *
 * <p>This is how a domain process gets exactly its verified bundles without checking any
 * signature again: hashes only (no certificate or CMS code runs), and the bytes it installs
 * are the bytes it hashed.
 */
public final class PinnedImage {
    private final ImageManifest manifest;
    private final String manifestSha256;
    private final List<PinnedBundle> bundles;

    private PinnedImage(ImageManifest manifest, String manifestSha256, List<PinnedBundle> bundles) {
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.bundles = List.copyOf(bundles);
    }

    /**
     * Reads {@code image} and pins it.
     *
     * @param manifestSha256 the verified manifest's SHA-256, lower-case hex
     * @param domain         whose bundles to read and check
     * @param limits         the caps the image was verified under
     */
    public static PinnedImage read(Path image, String manifestSha256, BundleDomain domain, VerifyPolicy.Limits limits)
            throws ImageRejected {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(limits, "limits");
        if (manifestSha256 == null || !ImageFormat.SHA256_HEX.matcher(manifestSha256).matches()) {
            throw new IllegalArgumentException("manifest SHA-256 '" + manifestSha256 + "' is not 64 lower-case hex digits");
        }
        byte[] data = ImageFile.read(image, limits.maxImageBytes());
        ZipArchive zip;
        try {
            zip = ZipArchive.parse(data, ZipArchive.Profile.IMAGE, limits.maxEntryBytes(), limits.maxEntries(), limits.maxImageBytes());
        } catch (ZipArchive.Problem p) {
            throw ImageEntries.problem(p);
        }
        ZipArchive.Entry me = ImageEntries.manifest(zip);
        byte[] manifestBytes;
        try {
            manifestBytes = zip.read(me);
        } catch (ZipArchive.Problem p) {
            throw ImageEntries.problem(p);
        }
        String actual = Hashes.sha256Hex(manifestBytes);
        if (!Hashes.sameHex(actual, manifestSha256)) {
            throw new ImageRejected(Reason.HASH_MISMATCH, ImageFormat.MANIFEST, "SHA-256 " + actual + ", but the verified manifest's is "
                    + manifestSha256 + ": the image changed after it was verified");
        }
        ImageManifest manifest;
        try {
            manifest = ImageManifest.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            throw new ImageRejected(Reason.MANIFEST_INVALID, ImageFormat.MANIFEST, e.getMessage(), e);
        }

        // One thread: a domain runs this while its framework starts, which wants the other core.
        List<PinnedBundle> bundles = new ArrayList<>();
        for (ManifestBundle b : manifest.bundles(domain)) {
            bundles.add(pin(zip, ImageEntries.named(zip, b.path()), b));
        }
        return new PinnedImage(manifest, actual, bundles);
    }

    private static PinnedBundle pin(ZipArchive zip, ZipArchive.Entry e, ManifestBundle b) throws ImageRejected {
        if (e == null) {
            throw new ImageRejected(Reason.ENTRY_MISSING, b.path(), "listed in the verified manifest but not in the image");
        }
        if (e.size() != b.sizeBytes()) {
            throw new ImageRejected(Reason.SIZE_MISMATCH, b.path(), e.size() + " bytes, the verified manifest says " + b.sizeBytes());
        }
        MessageDigest md = Hashes.sha256();
        Slice bytes;
        try {
            bytes = zip.content(e, md);
        } catch (ZipArchive.Problem p) {
            throw ImageEntries.problem(p);
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (!Hashes.sameHex(sha, b.sha256())) {
            throw new ImageRejected(Reason.HASH_MISMATCH, b.path(), "SHA-256 " + sha + ", the verified manifest says " + b.sha256());
        }
        return new PinnedBundle(b, bytes);
    }

    /** The pinned manifest. */
    public ImageManifest manifest() {
        return manifest;
    }

    /** Its SHA-256: the value it was pinned to. */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** The domain's bundles, in manifest order (the install order). */
    public List<PinnedBundle> bundles() {
        return bundles;
    }
}
