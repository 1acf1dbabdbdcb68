package org.voltkeep.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.CertChecks;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.ManifestSignature;
import org.voltkeep.image.internal.Sbom;
import org.voltkeep.image.internal.SignedJarCheck;
import org.voltkeep.image.internal.ZipArchive;
import org.voltkeep.rot.api.SignerRole;

/**
 * Verifies an image completely before anything in it is used. The checks run in this
 * order, each failure with its own {@link Reason}:
 *
 * <ol>
 * <li>the file is readable and within the size cap;</li>
 * <li>ZIP structure: canonical layout, no duplicate names, no unsafe or unexpected names,
 *     declared and actual sizes within the caps, every CRC right;</li>
 * <li>{@code manifest.json} and {@code manifest.json.p7s} present;</li>
 * <li>the CMS signature verifies over the manifest's exact bytes;</li>
 * <li>the signer's chain leads to a trust anchor, valid now; the signer has the image-signer role
 *     (or the developer role, in development trust only);</li>
 * <li>the manifest parses strictly (it is parsed only once its signature is known good);</li>
 * <li>{@code compatible} equals the device's; {@code securityVersion} is not below the floor;</li>
 * <li>every listed file is present with the listed size and SHA-256, and nothing unlisted is there;</li>
 * <li>the SBOM lists every bundle with its SHA-256;</li>
 * <li>every bundle's domain fits its zone;</li>
 * <li>every bundle is a completely verified signed JAR whose signer's chain leads to a trust
 *     anchor and whose role allows the bundle's zone, and it declares the symbolic name and
 *     version the manifest gives.</li>
 * </ol>
 *
 * The file is read once; the bundles' bytes in the result are the ones that were checked.
 */
public final class ImageVerifier {

    private ImageVerifier() {
    }

    /** Reads and verifies the image at {@code image}. */
    public static VerifiedImage verify(Path image, VerifyPolicy policy) throws ImageRejected {
        return verify(read(image, policy.limits().maxImageBytes()), policy);
    }

    /**
     * Verifies an image for one domain: everything about the image (structure, manifest
     * signature, chain, role, compatible, floor, every entry's hash), but the signed-JAR
     * checks only for that domain's bundles, which are all the result holds. A domain
     * process uses it for the bundles it installs; the first boot stage verifies all.
     */
    public static VerifiedImage verifyFor(Path image, VerifyPolicy policy, BundleDomain domain) throws ImageRejected {
        Objects.requireNonNull(domain, "domain");
        return verify(read(image, policy.limits().maxImageBytes()), policy, b -> b.domain() == domain);
    }

    /** Verifies an image held in memory. */
    public static VerifiedImage verify(byte[] image, VerifyPolicy policy) throws ImageRejected {
        return verify(image, policy, b -> true);
    }

    private static VerifiedImage verify(byte[] image, VerifyPolicy policy, Predicate<ManifestBundle> checked) throws ImageRejected {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(policy, "policy");
        VerifyPolicy.Limits limits = policy.limits();
        if (image.length > limits.maxImageBytes()) {
            throw new ImageRejected(Reason.SIZE_LIMIT, null, image.length + " bytes, more than the cap of " + limits.maxImageBytes());
        }
        Map<String, byte[]> contents = readEntries(image, limits);

        byte[] manifestBytes = contents.get(ImageFormat.MANIFEST);
        if (manifestBytes == null) {
            throw new ImageRejected(Reason.MANIFEST_MISSING, ImageFormat.MANIFEST, "not in the image");
        }
        if (manifestBytes.length > ImageFormat.MAX_MANIFEST_BYTES) {
            throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.MANIFEST, manifestBytes.length + " bytes, more than the cap of "
                    + ImageFormat.MAX_MANIFEST_BYTES);
        }
        byte[] p7s = contents.get(ImageFormat.SIGNATURE);
        if (p7s == null) {
            throw new ImageRejected(Reason.SIGNATURE_MISSING, ImageFormat.SIGNATURE, "not in the image: the manifest is unsigned");
        }
        if (p7s.length > ImageFormat.MAX_SIGNATURE_BYTES) {
            throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.SIGNATURE, p7s.length + " bytes, more than the cap of "
                    + ImageFormat.MAX_SIGNATURE_BYTES);
        }

        ManifestSignature.Verified sig = ManifestSignature.verify(manifestBytes, p7s);
        List<X509Certificate> path = CertChecks.validate(sig.signer(), sig.certificates(), policy.anchors(),
                policy.clock().instant(), ImageFormat.SIGNATURE);
        ManifestSignature.requireOnlyPathCertificates(sig, path, policy.anchors());
        SignerRole imageRole = CertChecks.imageSignerRole(sig.signer(), policy.trustMode(), ImageFormat.SIGNATURE);

        ImageManifest manifest;
        try {
            manifest = ImageManifest.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            throw new ImageRejected(Reason.MANIFEST_INVALID, ImageFormat.MANIFEST, e.getMessage(), e);
        }
        if (!manifest.compatible().equals(policy.compatible())) {
            throw new ImageRejected(Reason.INCOMPATIBLE, ImageFormat.MANIFEST, "built for '" + manifest.compatible()
                    + "', this device is '" + policy.compatible() + "'");
        }
        if (manifest.securityVersion() < policy.securityVersionFloor()) {
            throw new ImageRejected(Reason.ROLLBACK, ImageFormat.MANIFEST, "security version " + manifest.securityVersion()
                    + " is below the device's floor " + policy.securityVersionFloor());
        }

        List<VerifiedBundle> bundles = checkContents(manifest, contents, policy, checked);
        List<VerifiedFile> config = new ArrayList<>();
        for (ManifestFile f : manifest.config()) {
            config.add(new VerifiedFile(f.path(), f.sha256(), contents.get(f.path())));
        }
        VerifiedFile sbom = new VerifiedFile(manifest.sbom().path(), manifest.sbom().sha256(), contents.get(ImageFormat.SBOM));
        return new VerifiedImage(manifest, Hashes.sha256Hex(manifestBytes), bundles, config, sbom,
                CertChecks.subject(sig.signer()), imageRole);
    }

    /**
     * Steps 9 to 13, over a parsed manifest and the image's entries: every listed file
     * present with its size and SHA-256, nothing unlisted, the SBOM, domains and zones,
     * then (with a policy) every bundle a completely verified signed JAR of its zone whose
     * identity matches the manifest. Without a policy the bundles' signatures are not
     * checked and the result is empty.
     */
    static List<VerifiedBundle> checkContents(ImageManifest manifest, Map<String, byte[]> contents, VerifyPolicy policy,
            Predicate<ManifestBundle> checked) throws ImageRejected {
        for (ManifestFile f : manifest.files()) {
            byte[] bytes = contents.get(f.path());
            if (bytes == null) {
                throw new ImageRejected(Reason.ENTRY_MISSING, f.path(), "listed in the manifest but not in the image");
            }
            if (bytes.length != f.sizeBytes()) {
                throw new ImageRejected(Reason.SIZE_MISMATCH, f.path(), bytes.length + " bytes, the manifest says " + f.sizeBytes());
            }
            String actual = Hashes.sha256Hex(bytes);
            if (!Hashes.sameHex(actual, f.sha256())) {
                throw new ImageRejected(Reason.HASH_MISMATCH, f.path(), "SHA-256 " + actual + ", the manifest says " + f.sha256());
            }
        }
        List<String> listed = manifest.files().stream().map(ManifestFile::path).toList();
        for (String name : contents.keySet()) {
            if (!name.equals(ImageFormat.MANIFEST) && !name.equals(ImageFormat.SIGNATURE) && !listed.contains(name)) {
                throw new ImageRejected(Reason.ENTRY_NOT_LISTED, name, "in the image but not listed in the manifest");
            }
        }
        Sbom.check(contents.get(ImageFormat.SBOM), manifest.bundles());
        for (ManifestBundle b : manifest.bundles()) {
            if (!b.domainMatchesZone()) {
                throw new ImageRejected(Reason.ZONE_DOMAIN_MISMATCH, b.path(), "zone " + b.zone().id() + " in domain " + b.domain().id()
                        + " (the safety domain runs the safety zone only, and only there)");
            }
        }

        List<VerifiedBundle> bundles = new ArrayList<>();
        if (policy == null) {
            return bundles;
        }
        Path scratch = scratchDir(policy.workDir());
        try {
            // Bundles are independent and their checks are CPU-bound (inflate and hash every
            // entry), so they run in parallel; the first failure in manifest order is reported,
            // whatever finished first, so the outcome does not depend on scheduling.
            List<Object> outcomes = manifest.bundles().parallelStream()
                    .filter(checked)
                    .map(b -> checkBundle(b, contents.get(b.path()), policy, scratch))
                    .toList();
            for (Object o : outcomes) {
                if (o instanceof ImageRejected r) {
                    throw r;
                }
                bundles.add((VerifiedBundle) o);
            }
        } finally {
            deleteTree(scratch);
        }
        return bundles;
    }

    /** A {@link VerifiedBundle}, or the {@link ImageRejected} saying why not. */
    private static Object checkBundle(ManifestBundle b, byte[] bytes, VerifyPolicy policy, Path scratch) {
        try {
            SignedJarCheck.Result r = SignedJarCheck.check(b.path(), bytes, b.zone(), policy, scratch);
            if (!r.symbolicName().equals(b.symbolicName()) || !b.version().equals(r.version())) {
                throw new ImageRejected(Reason.BUNDLE_IDENTITY, b.path(), "the JAR declares " + r.symbolicName() + " " + r.version()
                        + ", the manifest lists " + b.symbolicName() + " " + b.version());
            }
            return new VerifiedBundle(b.path(), b.symbolicName(), b.version(), b.domain(), b.zone(), b.sha256(), bytes,
                    CertChecks.subject(r.signer()), r.role());
        } catch (ImageRejected r) {
            return r;
        }
    }

    static byte[] read(Path image, long cap) throws ImageRejected {
        try {
            long size = Files.size(image);
            if (size > cap) {
                throw new ImageRejected(Reason.SIZE_LIMIT, null, image.getFileName() + " has " + size + " bytes, more than the cap of " + cap);
            }
            try (InputStream in = Files.newInputStream(image)) {
                byte[] data = in.readNBytes((int) cap + 1);
                if (data.length > cap) {
                    throw new ImageRejected(Reason.SIZE_LIMIT, null, image.getFileName() + " grew past the cap of " + cap + " bytes while read");
                }
                return data;
            }
        } catch (IOException e) {
            throw new ImageRejected(Reason.IO_ERROR, null, "cannot read " + image + ": " + e, e);
        }
    }

    static Map<String, byte[]> readEntries(byte[] image, VerifyPolicy.Limits limits) throws ImageRejected {
        try {
            ZipArchive zip = ZipArchive.parse(image, ZipArchive.Profile.IMAGE, limits.maxEntryBytes(), limits.maxEntries(),
                    limits.maxImageBytes());
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (ZipArchive.Entry e : zip.entries()) {
                contents.put(e.name(), zip.read(e));
            }
            return contents;
        } catch (ZipArchive.Problem p) {
            Reason r = switch (p.kind()) {
                case SIZE -> Reason.SIZE_LIMIT;
                case NAME -> Reason.ENTRY_NAME;
                case DUPLICATE -> Reason.DUPLICATE_ENTRY;
                case MALFORMED -> Reason.ZIP_MALFORMED;
            };
            throw new ImageRejected(r, p.entry(), p.getMessage());
        }
    }

    /** A directory only this process's user can enter, for the temporary bundle copies the JDK's JAR reader needs. */
    private static Path scratchDir(Path workDir) throws ImageRejected {
        try {
            Files.createDirectories(workDir);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return Files.createTempDirectory(workDir, "voltkeep-verify-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.createTempDirectory(workDir, "voltkeep-verify-");
        } catch (IOException e) {
            throw new ImageRejected(Reason.IO_ERROR, null, "cannot make scratch space under " + workDir + ": " + e, e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // scratch files hold only public bundle bytes; a leftover is untidy, not unsafe
        }
    }
}
