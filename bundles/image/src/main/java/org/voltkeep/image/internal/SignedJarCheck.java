package org.voltkeep.image.internal;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.Inflater;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Verifies one bundle as a signed JAR, completely and from memory (JAR File
 * Specification, "Signed JAR File"):
 *
 * <ol>
 * <li>every signature block ({@code .EC}/{@code .RSA}/{@code .DSA}, CMS SignedData) verifies
 *     over its {@code .SF} file ({@link JarSignatureBlock});</li>
 * <li>each {@code .SF} file's digests match {@code META-INF/MANIFEST.MF}: the whole manifest,
 *     or else its main attributes and each section the {@code .SF} file names;</li>
 * <li>every entry is read in full and its digest compared with its manifest section, so a
 *     changed class is found even though the signatures still verify;</li>
 * <li>every entry apart from the manifest and the signature files is signed (including
 *     {@code META-INF/services/...} and any other {@code META-INF} file), {@code .SF} and block
 *     files come in pairs and each pair signs entries;</li>
 * <li>one signer signs every entry, its chain leads to a trust anchor and its role allows the
 *     bundle's zone.</li>
 * </ol>
 *
 * The outcomes and their order are those of the JDK's {@code JarFile} with verification on,
 * which this check used to run over a temporary copy: a signer whose certificate may not
 * sign (no digitalSignature or nonRepudiation key usage, or an unknown critical extension)
 * counts as no signer, an entry longer than declared is cut off at the declared size (and
 * so fails its digest). Stricter than the JDK: only SHA-256, SHA-384 and SHA-512 digests
 * count, block files hold exactly one signer, keys are RSA of 2048 bits or more, EC or
 * EdDSA, and every entry must match its CRC-32.
 */
public final class SignedJarCheck {

    /** What a verified bundle declares and who signed it. */
    public record Result(String symbolicName, String version, X509Certificate signer, SignerRole role) {
    }

    /**
     * Signer chains already validated while verifying one image: many bundles share a code
     * signer, and the same certificates validate the same way at the same instant.
     */
    public static final class ChainCache {
        private final Set<List<X509Certificate>> valid = ConcurrentHashMap.newKeySet();
        private final Map<X509CertificateHolder, X509Certificate> parsed = new ConcurrentHashMap<>();

        /** The JDK's form of a certificate the signature blocks carry; each distinct one is parsed once. */
        X509Certificate certificate(X509CertificateHolder h) throws CertificateException {
            X509Certificate c = parsed.get(h);
            if (c == null) {
                c = new JcaX509CertificateConverter().getCertificate(h);
                parsed.putIfAbsent(h, c);
            }
            return c;
        }

        void validate(JarSignatureBlock.Signer s, VerifyPolicy policy, String entry) throws ImageRejected {
            List<X509Certificate> key = new ArrayList<>(s.certificates().size() + 1);
            key.add(s.certificate());
            key.addAll(s.certificates());
            if (valid.contains(key)) {
                return;
            }
            CertChecks.validate(s.certificate(), s.certificates(), policy.anchors(), policy.clock().instant(), entry);
            valid.add(key);
        }
    }

    /** Digest algorithms whose manifest and signature-file digests count. */
    private static final List<String> DIGESTS = List.of("SHA-256", "SHA-384", "SHA-512");
    private static final int BUFFER = 64 * 1024;

    private SignedJarCheck() {
    }

    /** Checks a JAR on its own (the builder asks whether a JAR is already signed for its zone). */
    public static Result check(String entry, byte[] jar, Zone zone, VerifyPolicy policy) throws ImageRejected {
        return check(entry, Slice.of(jar), zone, policy, new ChainCache());
    }

    /**
     * @param entry the bundle's entry name in the image, for messages
     * @param jar   the JAR's bytes, in place in the image
     */
    public static Result check(String entry, Slice jar, Zone zone, VerifyPolicy policy, ChainCache chains) throws ImageRejected {
        VerifyPolicy.Limits limits = policy.limits();
        ZipArchive zip;
        try {
            zip = ZipArchive.parse(jar, ZipArchive.Profile.JAR, limits.maxEntryBytes(), limits.maxBundleEntries(), limits.maxImageBytes());
        } catch (ZipArchive.Problem p) {
            throw structural(entry, p);
        }
        Map<String, ZipArchive.Entry> sigFiles = new LinkedHashMap<>();
        Map<String, ZipArchive.Entry> blocks = new LinkedHashMap<>();
        ZipArchive.Entry manifestEntry = null;
        for (ZipArchive.Entry e : zip.entries()) {
            String u = e.name().toUpperCase(Locale.ROOT);
            if (u.startsWith("META-INF/") && u.indexOf('/', 9) < 0) {
                String base = u.substring(9);
                if (base.startsWith("SIG-")) {
                    throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry + "!/" + e.name(), "signature files of this kind are not supported");
                }
                if (base.equals("MANIFEST.MF")) {
                    manifestEntry = e;
                }
                int dot = base.lastIndexOf('.');
                String ext = dot < 0 ? "" : base.substring(dot + 1);
                switch (ext) {
                    case "SF" -> sigFiles.put(base.substring(0, dot), e);
                    case "RSA", "DSA", "EC" -> {
                        if (blocks.put(base.substring(0, dot), e) != null) {
                            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry + "!/" + e.name(), "a second signature block for one signer");
                        }
                    }
                    default -> {
                        // an ordinary META-INF file: it must be signed like any other
                    }
                }
            }
        }
        if (!sigFiles.keySet().equals(blocks.keySet())) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "signature files without their pair: "
                    + unpaired(sigFiles.keySet(), blocks.keySet()));
        }
        if (sigFiles.isEmpty()) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "the JAR is not signed");
        }
        if (manifestEntry == null) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "signature files but no META-INF/MANIFEST.MF for them to sign");
        }

        byte[] manifestBytes = read(entry, zip, manifestEntry);
        Manifest manifest;
        try {
            manifest = new Manifest(Slice.of(manifestBytes).stream());
        } catch (IOException | RuntimeException e) {
            throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry + "!/" + manifestEntry.name(), "unreadable: " + e, e);
        }
        ManifestSections sections = ManifestSections.of(manifestBytes);
        Digests digests = new Digests();

        // Who signs what: per signature, the names its .SF file vouches for.
        Map<String, Set<JarSignatureBlock.Signer>> signersOf = new HashMap<>();
        List<Ignored> ignored = new ArrayList<>();
        for (Map.Entry<String, ZipArchive.Entry> sf : sigFiles.entrySet()) {
            ZipArchive.Entry blockEntry = blocks.get(sf.getKey());
            byte[] sfBytes = read(entry, zip, sf.getValue());
            byte[] blockBytes = read(entry, zip, blockEntry);
            Manifest sfManifest = signatureFile(entry + "!/" + sf.getValue().name(), sfBytes);
            JarSignatureBlock.Signer signer = JarSignatureBlock.verify(entry, blockEntry.name(), blockBytes, sfBytes, chains);
            if (!signer.maySign()) {
                ignored.add(new Ignored(blockEntry.name(), signer.certificate()));
                continue;
            }
            for (String n : signedNames(entry + "!/" + sf.getValue().name(), sfManifest, sections, digests)) {
                signersOf.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(signer);
            }
        }

        Set<JarSignatureBlock.Signer> common = null;
        Set<JarSignatureBlock.Signer> union = new LinkedHashSet<>();
        Inflater inflater = new Inflater(true);
        try {
            byte[] buf = new byte[BUFFER];
            for (ZipArchive.Entry ze : zip.entries()) {
                String where = entry + "!/" + ze.name();
                if (ze.isDirectory()) {
                    if (ze.size() != 0) {
                        throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, "directory entry with content");
                    }
                    continue;
                }
                if (isSignatureRelated(ze.name())) {
                    continue; // read and checked above
                }
                Set<JarSignatureBlock.Signer> signers = signersOf.getOrDefault(ze.name(), Set.of());
                List<Expected> expected = signers.isEmpty() ? List.of() : expectedDigests(manifest, ze.name(), digests);
                for (Expected x : expected) {
                    x.digest().reset();
                }
                ZipArchive.Scan scan = zip.scan(ze, inflater, buf, (b, off, len) -> {
                    for (Expected x : expected) {
                        x.digest().update(b, off, len);
                    }
                });
                if (scan.corrupt() != null) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, "unreadable: " + scan.corrupt());
                }
                for (Expected x : expected) {
                    if (!MessageDigest.isEqual(x.digest().digest(), x.value())) {
                        throw new ImageRejected(Reason.BUNDLE_TAMPERED, where, "does not match its signed digest ("
                                + x.digest().getAlgorithm() + " digest error for " + ze.name() + ")");
                    }
                }
                if (scan.size() != ze.size()) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, "holds " + scan.size() + " bytes, declared " + ze.size());
                }
                if (scan.overflow()) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, "inflates beyond its declared " + ze.size() + " bytes");
                }
                if (scan.crc() != ze.crc()) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, String.format(Locale.ROOT,
                            "CRC-32 %08x does not match the declared %08x", scan.crc(), ze.crc()));
                }
                if (expected.isEmpty()) {
                    if (union.isEmpty()) {
                        explainIgnoredSigners(entry, ignored, zone, policy.trustMode());
                    }
                    throw new ImageRejected(Reason.BUNDLE_UNSIGNED, where, signers.isEmpty() ? "entry is not signed"
                            : "entry has no SHA-256, SHA-384 or SHA-512 digest in META-INF/MANIFEST.MF, so it is not signed");
                }
                union.addAll(signers);
                if (common == null) {
                    common = new LinkedHashSet<>(signers);
                } else {
                    common.retainAll(signers);
                }
            }
        } finally {
            inflater.end();
        }
        if (common == null) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "the JAR has no signed content");
        }
        if (common.isEmpty()) {
            throw new ImageRejected(Reason.BUNDLE_SIGNERS_DIFFER, entry, "no signer signs every entry (" + union.size() + " signers)");
        }
        if (union.size() != sigFiles.size()) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, sigFiles.size() + " signatures but " + union.size()
                    + " distinct signers of entries: a signature signs nothing, or repeats another");
        }
        ImageRejected firstFailure = null;
        for (JarSignatureBlock.Signer s : common) {
            try {
                chains.validate(s, policy, entry);
                SignerRole role = CertChecks.codeSignerRole(s.certificate(), zone, policy.trustMode(), entry);
                return identity(entry, manifest, s.certificate(), role);
            } catch (ImageRejected r) {
                if (firstFailure == null) {
                    firstFailure = r;
                }
            }
        }
        throw firstFailure;
    }

    private static Result identity(String entry, Manifest mf, X509Certificate signer, SignerRole role) throws ImageRejected {
        Attributes main = mf.getMainAttributes();
        String bsn = main.getValue("Bundle-SymbolicName");
        String version = main.getValue("Bundle-Version");
        if (bsn == null || bsn.isBlank()) {
            throw new ImageRejected(Reason.BUNDLE_IDENTITY, entry, "no Bundle-SymbolicName in META-INF/MANIFEST.MF");
        }
        int semi = bsn.indexOf(';');
        bsn = (semi >= 0 ? bsn.substring(0, semi) : bsn).trim();
        return new Result(bsn, version == null ? null : version.trim(), signer, role);
    }

    /**
     * The names a signature file vouches for, after checking its digests against the
     * manifest: all of its sections when the digest of the whole manifest matches; otherwise
     * the main attributes must match and each section must match its manifest section.
     */
    private static Set<String> signedNames(String where, Manifest sf, ManifestSections sections, Digests digests)
            throws ImageRejected {
        Attributes main = sf.getMainAttributes();
        boolean wholeListed = false;
        boolean wholeMatches = false;
        for (Map.Entry<Object, Object> a : main.entrySet()) {
            String key = a.getKey().toString();
            String alg = algorithm(key, "-DIGEST-MANIFEST");
            if (alg == null) {
                continue;
            }
            wholeListed = true;
            MessageDigest md = digests.get(alg);
            if (md != null && MessageDigest.isEqual(sections.digestOfAll(md), decode(where, a.getValue()))) {
                wholeMatches = true;
            }
        }
        if (wholeListed && !wholeMatches && !anyUsable(main, "-DIGEST-MANIFEST", digests)) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, where, "digests the manifest with no algorithm accepted here (SHA-256, SHA-384, SHA-512)");
        }
        Set<String> names = new LinkedHashSet<>();
        if (wholeMatches) {
            names.addAll(sf.getEntries().keySet());
            return names;
        }
        for (Map.Entry<Object, Object> a : main.entrySet()) {
            String alg = algorithm(a.getKey().toString(), "-DIGEST-MANIFEST-MAIN-ATTRIBUTES");
            MessageDigest md = alg == null ? null : digests.get(alg);
            if (md == null) {
                continue;
            }
            if (!sections.hasMain() || !MessageDigest.isEqual(sections.digestOfMain(md), decode(where, a.getValue()))) {
                throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "Invalid signature file digest for Manifest main attributes");
            }
        }
        for (Map.Entry<String, Attributes> section : sf.getEntries().entrySet()) {
            String name = section.getKey();
            if (!sections.has(name)) {
                throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "no manifest section for signature file entry " + name);
            }
            boolean verified = false;
            for (Map.Entry<Object, Object> a : section.getValue().entrySet()) {
                String alg = algorithm(a.getKey().toString(), "-DIGEST");
                MessageDigest md = alg == null ? null : digests.get(alg);
                if (md == null) {
                    continue;
                }
                byte[] want = decode(where, a.getValue());
                if (!MessageDigest.isEqual(sections.digestOf(name, md, true), want)
                        && !MessageDigest.isEqual(sections.digestOf(name, md, false), want)) {
                    throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "invalid " + md.getAlgorithm()
                            + " signature file digest for " + name);
                }
                verified = true;
            }
            if (verified) {
                names.add(name);
            }
        }
        return names;
    }

    /** A signature file, parsed; one that is not of version 1.0 signs nothing (the JDK skips it). */
    private static Manifest signatureFile(String where, byte[] sfBytes) throws ImageRejected {
        Manifest sf;
        try {
            sf = new Manifest(Slice.of(sfBytes).stream());
        } catch (IOException | RuntimeException e) {
            throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "unreadable signature file: " + e, e);
        }
        String version = sf.getMainAttributes().getValue("Signature-Version");
        if (version == null || !version.trim().equalsIgnoreCase("1.0")) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, where, "Signature-Version is not 1.0, so this signature signs nothing");
        }
        return sf;
    }

    /** An entry's digests as its manifest section states them, in the algorithms accepted here. */
    private static List<Expected> expectedDigests(Manifest mf, String name, Digests digests) throws ImageRejected {
        Attributes attrs = mf.getAttributes(name);
        if (attrs == null) {
            return List.of();
        }
        List<Expected> out = new ArrayList<>(1);
        for (Map.Entry<Object, Object> a : attrs.entrySet()) {
            String alg = algorithm(a.getKey().toString(), "-DIGEST");
            MessageDigest md = alg == null ? null : digests.get(alg);
            if (md != null) {
                out.add(new Expected(md, decode(name + " (its section in META-INF/MANIFEST.MF)", a.getValue())));
            }
        }
        return out;
    }

    private static boolean anyUsable(Attributes attrs, String suffix, Digests digests) {
        for (Object k : attrs.keySet()) {
            String alg = algorithm(k.toString(), suffix);
            if (alg != null && digests.get(alg) != null) {
                return true;
            }
        }
        return false;
    }

    /** The algorithm of a digest header ({@code SHA-256-Digest} gives {@code SHA-256}), or null for another header. */
    private static String algorithm(String key, String suffix) {
        if (key.length() <= suffix.length() || !key.toUpperCase(Locale.ROOT).endsWith(suffix)) {
            return null;
        }
        return key.substring(0, key.length() - suffix.length());
    }

    private static byte[] decode(String where, Object value) throws ImageRejected {
        try {
            return Base64.getMimeDecoder().decode(value.toString());
        } catch (IllegalArgumentException e) {
            throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "a digest is not Base64: " + e.getMessage());
        }
    }

    private static byte[] read(String entry, ZipArchive zip, ZipArchive.Entry e) throws ImageRejected {
        try {
            return zip.read(e);
        } catch (ZipArchive.Problem p) {
            throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry + "!/" + e.name(), "unreadable: " + p.getMessage());
        }
    }

    private static ImageRejected structural(String entry, ZipArchive.Problem p) {
        String where = p.entry() == null ? entry : entry + "!/" + p.entry();
        Reason r = switch (p.kind()) {
            case SIZE -> Reason.SIZE_LIMIT;
            case NAME -> Reason.ENTRY_NAME;
            case DUPLICATE -> Reason.DUPLICATE_ENTRY;
            case MALFORMED -> Reason.BUNDLE_MALFORMED;
        };
        return new ImageRejected(r, where, p.getMessage());
    }

    /** A signature that counts for nothing because its certificate may not sign. */
    private record Ignored(String blockName, X509Certificate certificate) {
    }

    /** An entry digest to compare: the running digest and the value the manifest gives. */
    private record Expected(MessageDigest digest, byte[] value) {
    }

    /** One digest object per accepted algorithm, for one JAR (one thread). */
    private static final class Digests {
        private final Map<String, MessageDigest> byName = new HashMap<>();

        /** The digest for an algorithm name as JAR headers spell it, or null when it does not count here. */
        MessageDigest get(String alg) {
            String canonical = alg.toUpperCase(Locale.ROOT);
            if (!DIGESTS.contains(canonical)) {
                return null;
            }
            return byName.computeIfAbsent(canonical, a -> {
                if (a.equals("SHA-256")) {
                    return Hashes.sha256();
                }
                try {
                    return MessageDigest.getInstance(a);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(a + " is required of every Java platform", e);
                }
            });
        }
    }

    /**
     * The JDK drops a signer whose certificate does not allow digital signatures, so its
     * entries look unsigned. Say why.
     */
    private static void explainIgnoredSigners(String entry, List<Ignored> ignored, Zone zone, TrustMode mode) throws ImageRejected {
        for (Ignored i : ignored) {
            try {
                CertChecks.codeSignerRole(i.certificate(), zone, mode, entry);
            } catch (ImageRejected r) {
                if (r.reason() == Reason.CERT_KEY_USAGE) {
                    throw new ImageRejected(Reason.CERT_KEY_USAGE, entry, r.detail() + ", so its signature (" + i.blockName()
                            + ") does not count");
                }
            }
        }
    }

    /** Manifest and signature files directly in META-INF: the JDK does not sign these, it checks them. */
    static boolean isSignatureRelated(String name) {
        String u = name.toUpperCase(Locale.ROOT);
        if (!u.startsWith("META-INF/") || u.indexOf('/', 9) >= 0) {
            return false;
        }
        return u.equals("META-INF/MANIFEST.MF") || u.endsWith(".SF") || u.endsWith(".RSA") || u.endsWith(".DSA") || u.endsWith(".EC");
    }

    private static Set<String> unpaired(Set<String> a, Set<String> b) {
        Set<String> odd = new java.util.TreeSet<>();
        a.stream().filter(x -> !b.contains(x)).forEach(odd::add);
        b.stream().filter(x -> !a.contains(x)).forEach(odd::add);
        return odd;
    }
}
