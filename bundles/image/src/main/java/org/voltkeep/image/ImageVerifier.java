package org.voltkeep.image;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.CertChecks;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.ImageFile;
import org.voltkeep.image.internal.ManifestSignature;
import org.voltkeep.image.internal.Parallel;
import org.voltkeep.image.internal.Sbom;
import org.voltkeep.image.internal.SignedJarCheck;
import org.voltkeep.image.internal.Slice;
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
 * The file is read once, into one array, and everything is checked in place there; the
 * bundles in the result are views of the very bytes that were checked. Work that is
 * independent runs on every core: the CRC-32 and SHA-256 of the entries (while the
 * manifest's signature is checked), then the signed-JAR checks of the bundles. The failure
 * reported is always the first in the order above (and, among entries or bundles, the
 * first in file or manifest order), whatever finished first.
 */
public final class ImageVerifier {

    private ImageVerifier() {
    }

    /** Reads and verifies the image at {@code image}. */
    public static VerifiedImage verify(Path image, VerifyPolicy policy) throws ImageRejected {
        Objects.requireNonNull(policy, "policy");
        return check(ImageFile.read(image, policy.limits().maxImageBytes()), policy);
    }

    /** Verifies an image held in memory (a copy of it: later changes to {@code image} change nothing). */
    public static VerifiedImage verify(byte[] image, VerifyPolicy policy) throws ImageRejected {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(policy, "policy");
        if (image.length > policy.limits().maxImageBytes()) {
            throw new ImageRejected(Reason.SIZE_LIMIT, null, image.length + " bytes, more than the cap of " + policy.limits().maxImageBytes());
        }
        return check(image.clone(), policy);
    }

    /** What the signature and the manifest say, once both were checked. */
    private record Signed(ImageManifest manifest, String manifestSha256, String signerSubject, SignerRole role) {
    }

    /** @param image an array nobody else holds */
    private static VerifiedImage check(byte[] image, VerifyPolicy policy) throws ImageRejected {
        VerifyPolicy.Limits limits = policy.limits();
        if (image.length > limits.maxImageBytes()) {
            throw new ImageRejected(Reason.SIZE_LIMIT, null, image.length + " bytes, more than the cap of " + limits.maxImageBytes());
        }
        ZipArchive zip;
        try {
            zip = ZipArchive.parse(image, ZipArchive.Profile.IMAGE, limits.maxEntryBytes(), limits.maxEntries(), limits.maxImageBytes());
        } catch (ZipArchive.Problem p) {
            throw ImageEntries.problem(p);
        }
        try (Parallel workers = Parallel.onEveryCore()) {
            // Every entry's CRC-32 and SHA-256 in one pass, on the workers; meanwhile this
            // thread checks the manifest's signature (it needs only the two small entries).
            List<ZipArchive.Entry> entries = zip.entries();
            List<Future<Object>> hashed = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                hashed.add(null);
            }
            for (int i : largestFirst(entries.size(), i -> entries.get(i).size())) {
                ZipArchive.Entry e = entries.get(i);
                hashed.set(i, workers.submit(() -> hash(zip, e)));
            }
            Object signedOrWhyNot = checkSignedManifest(zip, policy);

            Map<String, Hashed> contents = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                Object o = Parallel.join(hashed.get(i));
                if (o instanceof ZipArchive.Problem p) {
                    throw ImageEntries.problem(p);
                }
                contents.put(entries.get(i).name(), (Hashed) o);
            }
            if (signedOrWhyNot instanceof ImageRejected r) {
                throw r;
            }
            Signed signed = (Signed) signedOrWhyNot;
            ImageManifest manifest = signed.manifest();
            List<VerifiedBundle> bundles = checkContents(manifest, contents, policy, workers);
            List<VerifiedFile> config = new ArrayList<>();
            for (ManifestFile f : manifest.config()) {
                config.add(new VerifiedFile(f.path(), f.sha256(), contents.get(f.path()).content().copy()));
            }
            VerifiedFile sbom = new VerifiedFile(manifest.sbom().path(), manifest.sbom().sha256(),
                    contents.get(ImageFormat.SBOM).content().copy());
            return new VerifiedImage(manifest, signed.manifestSha256(), bundles, config, sbom, signed.signerSubject(), signed.role());
        }
    }

    /**
     * Checks 8 to 11 of an image whose manifest is not (yet) signed, read with
     * {@link #readEntries}: for {@link ImageResigner} and unsigned builds. Without a
     * policy the bundles' signatures are not checked.
     */
    static void checkContents(ImageManifest manifest, Map<String, byte[]> entries, VerifyPolicy policy) throws ImageRejected {
        Map<String, Hashed> contents = new LinkedHashMap<>();
        entries.forEach((name, bytes) -> contents.put(name, new Hashed(Slice.of(bytes), Hashes.sha256Hex(bytes))));
        try (Parallel workers = Parallel.onEveryCore()) {
            checkContents(manifest, contents, policy, workers);
        }
    }

    /**
     * Checks 8 to 11: every listed file present with its size and SHA-256, nothing
     * unlisted, the SBOM, domains and zones, then (with a policy) every bundle a completely
     * verified signed JAR of its zone whose identity matches the manifest.
     */
    private static List<VerifiedBundle> checkContents(ImageManifest manifest, Map<String, Hashed> contents, VerifyPolicy policy,
            Parallel workers) throws ImageRejected {
        Set<String> listed = new HashSet<>();
        for (ManifestFile f : manifest.files()) {
            listed.add(f.path());
            Hashed h = contents.get(f.path());
            if (h == null) {
                throw new ImageRejected(Reason.ENTRY_MISSING, f.path(), "listed in the manifest but not in the image");
            }
            if (h.content().length() != f.sizeBytes()) {
                throw new ImageRejected(Reason.SIZE_MISMATCH, f.path(), h.content().length() + " bytes, the manifest says " + f.sizeBytes());
            }
            if (!Hashes.sameHex(h.sha256(), f.sha256())) {
                throw new ImageRejected(Reason.HASH_MISMATCH, f.path(), "SHA-256 " + h.sha256() + ", the manifest says " + f.sha256());
            }
        }
        for (String name : contents.keySet()) {
            if (!name.equals(ImageFormat.MANIFEST) && !name.equals(ImageFormat.SIGNATURE) && !listed.contains(name)) {
                throw new ImageRejected(Reason.ENTRY_NOT_LISTED, name, "in the image but not listed in the manifest");
            }
        }
        Sbom.check(contents.get(ImageFormat.SBOM).content().copy(), manifest.bundles());
        for (ManifestBundle b : manifest.bundles()) {
            if (!b.domainMatchesZone()) {
                throw new ImageRejected(Reason.ZONE_DOMAIN_MISMATCH, b.path(), "zone " + b.zone().id() + " in domain " + b.domain().id()
                        + " (the safety domain runs the safety zone only, and only there)");
            }
        }
        if (policy == null) {
            return List.of();
        }
        // Bundles are independent and their checks are CPU-bound (inflate and hash every
        // entry), so they run on the workers, largest first; the first failure in manifest
        // order is reported.
        SignedJarCheck.ChainCache chains = new SignedJarCheck.ChainCache();
        List<ManifestBundle> bundleList = manifest.bundles();
        List<Future<Object>> checked = new ArrayList<>(bundleList.size());
        for (int i = 0; i < bundleList.size(); i++) {
            checked.add(null);
        }
        for (int i : largestFirst(bundleList.size(), i -> bundleList.get(i).sizeBytes())) {
            ManifestBundle b = bundleList.get(i);
            Slice jar = contents.get(b.path()).content();
            checked.set(i, workers.submit(() -> checkBundle(b, jar, policy, chains)));
        }
        List<VerifiedBundle> bundles = new ArrayList<>(bundleList.size());
        for (Future<Object> f : checked) {
            Object o = Parallel.join(f);
            if (o instanceof ImageRejected r) {
                throw r;
            }
            bundles.add((VerifiedBundle) o);
        }
        return bundles;
    }

    /** The indexes 0..n-1, largest first: big work items start first, so no core idles at the end. */
    private static List<Integer> largestFirst(int n, java.util.function.IntToLongFunction size) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> size.applyAsLong(i)).reversed());
        return order;
    }

    /** An entry's content (CRC-checked) and its SHA-256. */
    private record Hashed(Slice content, String sha256) {
    }

    /** A {@link Hashed}, or the {@link ZipArchive.Problem} saying why not. */
    private static Object hash(ZipArchive zip, ZipArchive.Entry e) {
        MessageDigest md = Hashes.sha256();
        try {
            Slice content = zip.content(e, md);
            return new Hashed(content, HexFormat.of().formatHex(md.digest()));
        } catch (ZipArchive.Problem p) {
            return p;
        }
    }

    /**
     * Checks 3 to 7: a {@link Signed}, or the {@link ImageRejected} saying why not. Runs
     * before every CRC is known; its outcome counts only after theirs.
     */
    private static Object checkSignedManifest(ZipArchive zip, VerifyPolicy policy) {
        try {
            ZipArchive.Entry me = ImageEntries.manifest(zip);
            ZipArchive.Entry se = ImageEntries.named(zip, ImageFormat.SIGNATURE);
            if (se == null) {
                throw new ImageRejected(Reason.SIGNATURE_MISSING, ImageFormat.SIGNATURE, "not in the image: the manifest is unsigned");
            }
            if (se.size() > ImageFormat.MAX_SIGNATURE_BYTES) {
                throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.SIGNATURE, se.size() + " bytes, more than the cap of "
                        + ImageFormat.MAX_SIGNATURE_BYTES);
            }
            byte[] manifestBytes;
            byte[] p7s;
            try {
                manifestBytes = zip.read(me);
                p7s = zip.read(se);
            } catch (ZipArchive.Problem p) {
                // reported in file order with every other entry's
                return ImageEntries.problem(p);
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
            return new Signed(manifest, Hashes.sha256Hex(manifestBytes), CertChecks.subject(sig.signer()), imageRole);
        } catch (ImageRejected r) {
            return r;
        }
    }

    /** A {@link VerifiedBundle}, or the {@link ImageRejected} saying why not. */
    private static Object checkBundle(ManifestBundle b, Slice bytes, VerifyPolicy policy, SignedJarCheck.ChainCache chains) {
        try {
            SignedJarCheck.Result r = SignedJarCheck.check(b.path(), bytes, b.zone(), policy, chains);
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


    /** Every entry of an image, read and CRC-checked, in file order. */
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
            throw ImageEntries.problem(p);
        }
    }
}
