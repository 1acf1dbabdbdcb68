package org.voltkeep.image;

import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_IDENTITY;
import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_MALFORMED;
import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_SIGNATURE_INVALID;
import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_SIGNERS_DIFFER;
import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_TAMPERED;
import static org.voltkeep.image.ImageRejected.Reason.BUNDLE_UNSIGNED;
import static org.voltkeep.image.ImageRejected.Reason.CERT_EXPIRED;
import static org.voltkeep.image.ImageRejected.Reason.CERT_KEY_USAGE;
import static org.voltkeep.image.ImageRejected.Reason.CERT_NOT_YET_VALID;
import static org.voltkeep.image.ImageRejected.Reason.CERT_UNTRUSTED;
import static org.voltkeep.image.ImageRejected.Reason.CERT_WRONG_ROLE;
import static org.voltkeep.image.ImageRejected.Reason.DEVELOPMENT_SIGNER;
import static org.voltkeep.image.ImageRejected.Reason.DUPLICATE_ENTRY;
import static org.voltkeep.image.ImageRejected.Reason.ENTRY_MISSING;
import static org.voltkeep.image.ImageRejected.Reason.ENTRY_NAME;
import static org.voltkeep.image.ImageRejected.Reason.ENTRY_NOT_LISTED;
import static org.voltkeep.image.ImageRejected.Reason.HASH_MISMATCH;
import static org.voltkeep.image.ImageRejected.Reason.INCOMPATIBLE;
import static org.voltkeep.image.ImageRejected.Reason.MANIFEST_INVALID;
import static org.voltkeep.image.ImageRejected.Reason.MANIFEST_MISSING;
import static org.voltkeep.image.ImageRejected.Reason.ROLLBACK;
import static org.voltkeep.image.ImageRejected.Reason.SBOM_INVALID;
import static org.voltkeep.image.ImageRejected.Reason.SIGNATURE_INVALID;
import static org.voltkeep.image.ImageRejected.Reason.SIGNATURE_MISSING;
import static org.voltkeep.image.ImageRejected.Reason.SIZE_LIMIT;
import static org.voltkeep.image.ImageRejected.Reason.SIZE_MISMATCH;
import static org.voltkeep.image.ImageRejected.Reason.ZIP_MALFORMED;
import static org.voltkeep.image.ImageRejected.Reason.ZONE_DOMAIN_MISMATCH;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.JarSigning;
import org.voltkeep.image.internal.ZipArchive;
import org.voltkeep.image.internal.ZipWriter;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Bad images, generated from the fixture's one good image. Each case names what was done,
 * the reasons it may be rejected with, and (where it is precise) the entry the rejection
 * must name.
 */
final class BadImageCorpus {

    /** One bad image and what the verifier must say about it. */
    record Case(String category, String name, byte[] image, VerifyPolicy policy, Set<Reason> expected, String entryPrefix) {
        @Override
        public String toString() {
            return category + ": " + name;
        }
    }

    /** Anything a damaged ZIP structure may be refused as. */
    static final Set<Reason> STRUCTURAL = EnumSet.of(ZIP_MALFORMED, ENTRY_NAME, DUPLICATE_ENTRY, SIZE_LIMIT);

    static final String CORE_PATH = Fixture.path(BundleDomain.APP, Fixture.CORE);
    static final String SAFETY_PATH = Fixture.path(BundleDomain.SAFETY, Fixture.SAFETY);

    private final Fixture fx;
    private final byte[] good;
    private final VerifyPolicy policy;
    private final List<Case> cases = new ArrayList<>();
    private final Path work;

    BadImageCorpus(Fixture fx) throws Exception {
        this.fx = fx;
        this.good = fx.imageBytes;
        this.policy = fx.policy();
        this.work = Files.createDirectories(fx.dir.resolve("corpus-work"));
    }

    List<Case> build() throws Exception {
        bitFlips();
        truncations();
        framing();
        hashMismatches();
        mixAndMatch();
        bundleSigners();
        manifestSigners();
        signatureForm();
        signedJarContent();
        identityAndZones();
        policyChecks();
        names();
        duplicates();
        sizes();
        missingAndExtra();
        manifestSchema();
        sbom();
        return cases;
    }

    private void add(String category, String name, byte[] image, Set<Reason> expected, String entryPrefix) {
        cases.add(new Case(category, name, image, policy, expected, entryPrefix));
    }

    private void add(String category, String name, byte[] image, Reason expected, String entryPrefix) {
        add(category, name, image, EnumSet.of(expected), entryPrefix);
    }

    private void add(String category, String name, byte[] image, VerifyPolicy p, Reason expected, String entryPrefix) {
        cases.add(new Case(category, name, image, p, EnumSet.of(expected), entryPrefix));
    }

    // ---- a flipped bit in every region of the file --------------------------------------------

    private void bitFlips() throws Exception {
        ZipArchive zip = ZipArchive.parse(good, ZipArchive.Profile.IMAGE, Long.MAX_VALUE / 4, 10_000, Long.MAX_VALUE / 4);
        long cdStart = 0;
        for (ZipArchive.Entry e : zip.entries()) {
            // every byte of every local header (fields and name)
            for (long off = e.headerOffset(); off < e.dataOffset(); off++) {
                add("bit flip", "local header of " + e.name() + " @" + off, flip(good, off), STRUCTURAL, null);
            }
            // spread over the data: the CRC catches it...
            long n = e.compressedSize();
            for (long off : spread(e.dataOffset(), n, 12)) {
                add("bit flip", "data of " + e.name() + " @" + off, flip(good, off), ZIP_MALFORMED, e.name());
            }
            // ...and with the CRC made to fit, the signature or the manifest's hash does; every
            // byte of the signature file, as no part of it may change unnoticed
            long[] offsets = e.name().equals(ImageFormat.SIGNATURE) ? spread(0, n, (int) n) : spread(0, n, 12);
            for (long off : offsets) {
                byte[] image = flipWithCrcFixed(good, zip, e, off);
                switch (e.name()) {
                    case ImageFormat.MANIFEST -> add("bit flip, CRC fixed", "manifest @" + off, image, SIGNATURE_INVALID, ImageFormat.SIGNATURE);
                    case ImageFormat.SIGNATURE -> add("bit flip, CRC fixed", "signature @" + off, image,
                            EnumSet.of(SIGNATURE_INVALID, Reason.CERT_UNTRUSTED), ImageFormat.SIGNATURE);
                    default -> add("bit flip, CRC fixed", e.name() + " @" + off, image, HASH_MISMATCH, e.name());
                }
            }
            cdStart = e.dataOffset() + e.compressedSize();
        }
        // every byte of the central directory and of its end record
        for (long off = cdStart; off < good.length; off++) {
            add("bit flip", (off < good.length - 22 ? "central directory @" : "end record @") + off, flip(good, off), STRUCTURAL, null);
        }
    }

    /** Flips a bit in an entry's stored data and writes the matching CRC into both of its headers. */
    private static byte[] flipWithCrcFixed(byte[] image, ZipArchive zip, ZipArchive.Entry e, long off) {
        byte[] c = image.clone();
        int at = (int) (e.dataOffset() + off);
        c[at] ^= (byte) (1 << (off % 8));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(c, (int) e.dataOffset(), (int) e.compressedSize());
        putInt(c, (int) e.headerOffset() + 14, crc.getValue());
        ZipArchive.Entry last = zip.entries().get(zip.entries().size() - 1);
        putInt(c, centralHeaderOf(c, (int) (last.dataOffset() + last.compressedSize()), e.name()) + 16, crc.getValue());
        return c;
    }

    private static byte[] flip(byte[] b, long off) {
        byte[] c = b.clone();
        c[(int) off] ^= (byte) (1 << (off % 8));
        return c;
    }

    /** {@code count} offsets spread over [start, start+len), first and last included. */
    private static long[] spread(long start, long len, int count) {
        if (len <= 0) {
            return new long[0];
        }
        int k = (int) Math.min(count, len);
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            out[i] = start + (k == 1 ? 0 : (len - 1) * i / (k - 1));
        }
        return Arrays.stream(out).distinct().toArray();
    }

    // ---- truncation and framing -----------------------------------------------------------------

    private void truncations() {
        Set<Integer> lengths = new java.util.TreeSet<>(List.of(0, 1, 4, 21, 22, 23, 100, good.length / 2, good.length - 1,
                good.length - 2, good.length - 21, good.length - 22, good.length - 23));
        for (int i = 1; i < 30; i++) {
            lengths.add(good.length * i / 30);
        }
        for (int len : lengths) {
            add("truncation", "first " + len + " of " + good.length + " bytes", Arrays.copyOf(good, len), ZIP_MALFORMED, null);
        }
    }

    private void framing() {
        byte[] appended = Arrays.copyOf(good, good.length + 1);
        add("framing", "one byte appended", appended, ZIP_MALFORMED, null);
        byte[] tail = new byte[4096];
        new Random(1).nextBytes(tail);
        byte[] garbage = Arrays.copyOf(good, good.length + tail.length);
        System.arraycopy(tail, 0, garbage, good.length, tail.length);
        add("framing", "4 KiB appended", garbage, ZIP_MALFORMED, null);
        byte[] prepended = new byte[good.length + 16];
        System.arraycopy(good, 0, prepended, 16, good.length);
        add("framing", "16 bytes prepended", prepended, ZIP_MALFORMED, null);
        byte[] noise = new byte[50_000];
        new Random(2).nextBytes(noise);
        add("framing", "random bytes", noise, ZIP_MALFORMED, null);
        add("framing", "a bundle JAR instead of an image", ImageForge.of(good).get(CORE_PATH), EnumSet.of(ZIP_MALFORMED, ENTRY_NAME), null);
    }

    // ---- hashes, mix-and-match ------------------------------------------------------------------

    private void hashMismatches() throws Exception {
        ImageForge f = ImageForge.of(good);
        ImageManifest m = f.manifest();
        List<ManifestBundle> bs = new ArrayList<>();
        for (ManifestBundle b : m.bundles()) {
            bs.add(b.path().equals(CORE_PATH) ? new ManifestBundle(b.path(), b.symbolicName(), b.version(), b.domain(), b.zone(),
                    "0".repeat(64), b.sizeBytes()) : b);
        }
        ImageManifest lying = new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), bs, m.config(), m.sbom());
        add("hash mismatch", "manifest gives another hash for a bundle", ImageForge.of(good).seal(lying, fx.pki.imageSigner(), fx.clock).zip(),
                EnumSet.of(HASH_MISMATCH, SBOM_INVALID), CORE_PATH);

        byte[] cfg = f.get("config/app/org.example.core.cfg").clone();
        cfg[0] = (byte) (cfg[0] == 'x' ? 'y' : 'x');
        add("hash mismatch", "configuration changed, same size", ImageForge.of(good).put("config/app/org.example.core.cfg", cfg).zip(),
                HASH_MISMATCH, "config/app/org.example.core.cfg");
        byte[] longer = Arrays.copyOf(f.get("config/safety/org.example.safety.cfg"), f.get("config/safety/org.example.safety.cfg").length + 1);
        add("hash mismatch", "configuration grew", ImageForge.of(good).put("config/safety/org.example.safety.cfg", longer).zip(),
                SIZE_MISMATCH, "config/safety/org.example.safety.cfg");
        byte[] jar = f.get(CORE_PATH);
        add("hash mismatch", "bundle with a byte appended", ImageForge.of(good).put(CORE_PATH, Arrays.copyOf(jar, jar.length + 1)).zip(),
                SIZE_MISMATCH, CORE_PATH);
        add("hash mismatch", "bundle replaced by another bundle", ImageForge.of(good).put(CORE_PATH, f.get(Fixture.path(BundleDomain.APP, Fixture.NET))).zip(),
                EnumSet.of(SIZE_MISMATCH, HASH_MISMATCH), CORE_PATH);
        byte[] sbom = f.get(ImageFormat.SBOM).clone();
        sbom[sbom.length - 2] = ' ';
        add("hash mismatch", "SBOM changed", ImageForge.of(good).put(ImageFormat.SBOM, sbom).zip(), HASH_MISMATCH, ImageFormat.SBOM);
    }

    private void mixAndMatch() throws Exception {
        // a second, equally valid image of a later version with a changed core bundle
        Path other = fx.dir.resolve("other-inputs");
        Files.createDirectories(other);
        Path core2 = other.resolve("core.jar");
        Files.write(core2, TestBundles.bundle(Fixture.CORE, "1.0.0", Map.of("org/example/core/Main.class", TestBundles.classBytes(),
                "org/example/core/about.txt", "the second image's core, longer than the first one's\n".getBytes(StandardCharsets.UTF_8))));
        ImageBuilder b = new ImageBuilder(fx.pki.imageKeys()).clock(fx.clock).workDir(work).compatible(Fixture.COMPATIBLE)
                .version("1.3.0").securityVersion(3)
                .bundle(fx.jar(Fixture.SAFETY), BundleDomain.SAFETY, Zone.SAFETY)
                .bundle(fx.jar(Fixture.CONTRACT), BundleDomain.SAFETY, Zone.SAFETY)
                .bundle(fx.jar(Fixture.CONTRACT), BundleDomain.APP, Zone.CORE)
                .bundle(core2, BundleDomain.APP, Zone.CORE)
                .bundle(fx.jar(Fixture.NET), BundleDomain.APP, Zone.NETWORK)
                .configDir(BundleDomain.SAFETY, fx.dir.resolve("config/safety"))
                .configDir(BundleDomain.APP, fx.dir.resolve("config/app"));
        byte[] second = Files.readAllBytes(b.build(fx.dir.resolve("second.img")).file());
        ImageForge s = ImageForge.of(second);
        for (ManifestBundle mb : s.manifest().bundles()) {
            add("mix-and-match", "bundle " + mb.path() + " from another signed image",
                    ImageForge.of(good).put(mb.path(), s.get(mb.path())).zip(), EnumSet.of(HASH_MISMATCH, SIZE_MISMATCH), mb.path());
        }
        ImageForge mixed = ImageForge.of(good).put(ImageFormat.MANIFEST, s.get(ImageFormat.MANIFEST)).put(ImageFormat.SIGNATURE, s.get(ImageFormat.SIGNATURE));
        add("mix-and-match", "manifest and signature from another image, bundles of this one", mixed.zip(),
                EnumSet.of(HASH_MISMATCH, SIZE_MISMATCH), null);
        add("mix-and-match", "signature from another image", ImageForge.of(good).put(ImageFormat.SIGNATURE, s.get(ImageFormat.SIGNATURE)).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);
        add("mix-and-match", "manifest from another image", ImageForge.of(good).put(ImageFormat.MANIFEST, s.get(ImageFormat.MANIFEST)).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);
    }

    // ---- who signed the bundles -----------------------------------------------------------------

    /** The good image with {@code path}'s bundle replaced by {@code jar}, manifest updated and signed by the image signer. */
    private byte[] withBundle(String path, byte[] jar) throws Exception {
        ImageForge f = ImageForge.of(good);
        return f.seal(f.withBundle(f.manifest(), path, jar), fx.pki.imageSigner(), fx.clock).zip();
    }

    private byte[] signed(String symbolicName, SigningKey key) throws Exception {
        return JarSigning.sign(Files.readAllBytes(fx.jar(symbolicName)), key, "VK-TEST", work);
    }

    private void bundleSigners() throws Exception {
        Instant now = fx.clock.instant();
        SignerProfile core = SignerProfile.codeSigner(Zone.CORE, fx.clock);
        add("bundle signer", "untrusted key", withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issueUntrusted("untrusted-core", core))),
                CERT_UNTRUSTED, CORE_PATH);
        add("bundle signer", "expired certificate", withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issue("expired-core",
                core.withValidity(now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1)))))), CERT_EXPIRED, CORE_PATH);
        add("bundle signer", "certificate not yet valid", withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issue("future-core",
                core.withValidity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(800)))))), CERT_NOT_YET_VALID, CORE_PATH);
        add("bundle signer", "network role signing the core zone",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.codeSigner(Zone.NETWORK))), CERT_WRONG_ROLE, CORE_PATH);
        add("bundle signer", "core role signing the safety zone",
                withBundle(SAFETY_PATH, signed(Fixture.SAFETY, fx.pki.codeSigner(Zone.CORE))), CERT_WRONG_ROLE, SAFETY_PATH);
        add("bundle signer", "safety role signing the network zone",
                withBundle(Fixture.path(BundleDomain.APP, Fixture.NET), signed(Fixture.NET, fx.pki.codeSigner(Zone.SAFETY))),
                CERT_WRONG_ROLE, Fixture.path(BundleDomain.APP, Fixture.NET));
        add("bundle signer", "image signer signing code (no codeSigning usage)",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.imageSigner())), CERT_KEY_USAGE, CORE_PATH);
        add("bundle signer", "core role without codeSigning usage",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issue("core-no-eku", core.withoutCodeSigningUsage()))), CERT_KEY_USAGE, CORE_PATH);
        add("bundle signer", "core role without digitalSignature key usage",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issue("core-no-ku", core.withoutDigitalSignature()))), CERT_KEY_USAGE, CORE_PATH);
        add("bundle signer", "code signer with no role at all",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.issue("no-role", core.withRoles(Set.of())))), CERT_WRONG_ROLE, CORE_PATH);
        add("bundle signer", "developer key on a field device",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.developer())), DEVELOPMENT_SIGNER, CORE_PATH);
        add("bundle signer", "signing CA's key as code signer",
                withBundle(CORE_PATH, signed(Fixture.CORE, fx.pki.key(DevPki.CA_ALIAS))), CERT_KEY_USAGE, CORE_PATH);
    }

    private void manifestSigners() throws Exception {
        Instant now = fx.clock.instant();
        SignerProfile img = SignerProfile.imageSigner(fx.clock);
        Map<String, SigningKey> signers = new LinkedHashMap<>();
        Map<String, Reason> expected = new LinkedHashMap<>();
        signers.put("a code signer", fx.pki.codeSigner(Zone.CORE));
        expected.put("a code signer", CERT_WRONG_ROLE);
        signers.put("an untrusted image signer", fx.pki.issueUntrusted("untrusted-image", img));
        expected.put("an untrusted image signer", CERT_UNTRUSTED);
        signers.put("an expired image signer", fx.pki.issue("expired-image", img.withValidity(now.minus(Duration.ofDays(900)), now.minus(Duration.ofSeconds(1)))));
        expected.put("an expired image signer", CERT_EXPIRED);
        signers.put("a not yet valid image signer", fx.pki.issue("future-image", img.withValidity(now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(900)))));
        expected.put("a not yet valid image signer", CERT_NOT_YET_VALID);
        signers.put("an image signer without digitalSignature", fx.pki.issue("image-no-ku", img.withoutDigitalSignature()));
        expected.put("an image signer without digitalSignature", CERT_KEY_USAGE);
        signers.put("the developer key on a field device", fx.pki.developer());
        expected.put("the developer key on a field device", DEVELOPMENT_SIGNER);
        signers.put("the root CA itself", fx.pki.key(DevPki.ROOT_ALIAS));
        expected.put("the root CA itself", CERT_KEY_USAGE);
        for (Map.Entry<String, SigningKey> e : signers.entrySet()) {
            ImageForge f = ImageForge.of(good);
            add("manifest signer", "signed by " + e.getKey(), f.signRaw(f.get(ImageFormat.MANIFEST), e.getValue(), fx.clock).zip(),
                    expected.get(e.getKey()), ImageFormat.SIGNATURE);
        }
    }

    /**
     * Parts of the signature file no signature covers, each of which a lenient CMS reader
     * accepts changed: found by flipping every bit of the file, kept here by name.
     */
    private void signatureForm() throws Exception {
        byte[] p7s = ImageForge.of(good).get(ImageFormat.SIGNATURE);
        java.security.cert.X509Certificate leaf = fx.pki.imageSigner().certificate();
        java.security.cert.X509Certificate ca = fx.pki.imageSigner().chain().get(1);

        byte[] pad = p7s.clone();
        int leafAt = indexOf(pad, leaf.getEncoded(), 0);
        pad[leafAt + leaf.getEncoded().length - leaf.getSignature().length - 1] = 1;
        add("signature form", "unused bits in a certificate's signature", ImageForge.of(good).put(ImageFormat.SIGNATURE, pad).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);

        byte[] tag = p7s.clone();
        byte[] contentTypeAttr = {0x30, 0x18, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x09, 0x03};
        int attrs = indexOf(tag, contentTypeAttr, 0);
        int t = attrs - 1;
        while (tag[t] != (byte) 0xA0) {
            t--;
        }
        tag[t] = (byte) 0xA5;
        add("signature form", "signed attributes under context tag [5]", ImageForge.of(good).put(ImageFormat.SIGNATURE, tag).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);

        byte[] name = p7s.clone();
        byte[] issuer = ca.getSubjectX500Principal().getEncoded();
        int sid = lastIndexOf(name, issuer);
        int letter = sid + new String(issuer, StandardCharsets.ISO_8859_1).indexOf("Voltkeep Development Signing CA");
        name[letter] ^= 0x20;
        add("signature form", "signer's issuer name in other letter case", ImageForge.of(good).put(ImageFormat.SIGNATURE, name).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);

        byte[] version = p7s.clone();
        int v = indexOf(version, new byte[] {0x02, 0x01, 0x01}, 0);
        version[v + 2] = 3;
        add("signature form", "SignedData version 3", ImageForge.of(good).put(ImageFormat.SIGNATURE, version).zip(),
                SIGNATURE_INVALID, ImageFormat.SIGNATURE);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        for (int i = from; i <= hay.length - needle.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("pattern not found");
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("pattern not found");
    }

    // ---- what is inside a signed JAR ------------------------------------------------------------

    private byte[] coreJarWith(java.util.function.Consumer<Map<String, byte[]>> change) {
        Map<String, byte[]> entries = TestBundles.entries(ImageForge.of(good).get(CORE_PATH));
        change.accept(entries);
        return TestBundles.rezip(entries);
    }

    private String sigBase() {
        return "META-INF/VK-CORE";
    }

    private void signedJarContent() throws Exception {
        String p = CORE_PATH + "!/";
        add("signed JAR", "unsigned class added", withBundle(CORE_PATH, coreJarWith(e -> e.put("org/example/core/Evil.class", TestBundles.classBytes()))),
                BUNDLE_UNSIGNED, p + "org/example/core/Evil.class");
        add("signed JAR", "unsigned resource added", withBundle(CORE_PATH, coreJarWith(e -> e.put("evil.properties", new byte[] {'a'}))),
                BUNDLE_UNSIGNED, p + "evil.properties");
        add("signed JAR", "unsigned META-INF file added", withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/extra.txt", new byte[] {'a'}))),
                BUNDLE_UNSIGNED, p + "META-INF/extra.txt");
        add("signed JAR", "unsigned service file added",
                withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/services/java.lang.Runnable", "org.example.Evil\n".getBytes(StandardCharsets.UTF_8)))),
                BUNDLE_UNSIGNED, p + "META-INF/services/java.lang.Runnable");
        add("signed JAR", "stray signature file added", withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/EVIL.SF", e.get(sigBase() + ".SF")))),
                BUNDLE_UNSIGNED, CORE_PATH);
        add("signed JAR", "signature block removed", withBundle(CORE_PATH, coreJarWith(e -> e.remove(sigBase() + ".EC"))),
                BUNDLE_UNSIGNED, CORE_PATH);
        add("signed JAR", "SIG- signature file added", withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/SIG-EVIL.SIG", new byte[] {1}))),
                BUNDLE_UNSIGNED, p + "META-INF/SIG-EVIL.SIG");
        add("signed JAR", "second signature block for the signer", withBundle(CORE_PATH, coreJarWith(e -> e.put(sigBase() + ".RSA", e.get(sigBase() + ".EC")))),
                BUNDLE_UNSIGNED, CORE_PATH);
        add("signed JAR", "not signed at all", withBundle(CORE_PATH, Files.readAllBytes(fx.jar(Fixture.CORE))), BUNDLE_UNSIGNED, CORE_PATH);
        add("signed JAR", "signature files removed, entries kept", withBundle(CORE_PATH, coreJarWith(e -> {
            e.remove(sigBase() + ".EC");
            e.remove(sigBase() + ".SF");
        })), BUNDLE_UNSIGNED, CORE_PATH);

        add("signed JAR", "class changed", withBundle(CORE_PATH, coreJarWith(e -> {
            byte[] c = e.get("org/example/core/Main.class").clone();
            c[c.length - 1] ^= 1;
            e.put("org/example/core/Main.class", c);
        })), BUNDLE_TAMPERED, p + "org/example/core/Main.class");
        add("signed JAR", "resource changed", withBundle(CORE_PATH, coreJarWith(e -> e.put("org/example/core/about.txt", "other\n".getBytes(StandardCharsets.UTF_8)))),
                BUNDLE_TAMPERED, p + "org/example/core/about.txt");
        add("signed JAR", "pom.properties emptied", withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/maven/org.example/org.example.core/pom.properties", new byte[0]))),
                BUNDLE_TAMPERED, p + "META-INF/maven/org.example/org.example.core/pom.properties");
        add("signed JAR", "Bundle-Version edited in the JAR manifest", withBundle(CORE_PATH, coreJarWith(e -> e.put("META-INF/MANIFEST.MF",
                new String(e.get("META-INF/MANIFEST.MF"), StandardCharsets.UTF_8).replace("Bundle-Version: 1.0.0", "Bundle-Version: 9.0.0")
                        .getBytes(StandardCharsets.UTF_8)))), BUNDLE_SIGNATURE_INVALID, CORE_PATH);
        add("signed JAR", "digest in the JAR manifest edited", withBundle(CORE_PATH, coreJarWith(e -> {
            String mf = new String(e.get("META-INF/MANIFEST.MF"), StandardCharsets.UTF_8);
            int at = mf.indexOf("SHA-256-Digest: ") + "SHA-256-Digest: ".length();
            char c = mf.charAt(at);
            e.put("META-INF/MANIFEST.MF", (mf.substring(0, at) + (c == 'A' ? 'B' : 'A') + mf.substring(at + 1)).getBytes(StandardCharsets.UTF_8));
        })), EnumSet.of(BUNDLE_TAMPERED, BUNDLE_SIGNATURE_INVALID, BUNDLE_UNSIGNED), CORE_PATH);
        add("signed JAR", "signature block bit flipped", withBundle(CORE_PATH, coreJarWith(e -> {
            byte[] ec = e.get(sigBase() + ".EC").clone();
            ec[ec.length - 8] ^= 0x10;
            e.put(sigBase() + ".EC", ec);
        })), BUNDLE_SIGNATURE_INVALID, CORE_PATH);
        add("signed JAR", "signature file edited", withBundle(CORE_PATH, coreJarWith(e -> e.put(sigBase() + ".SF",
                (new String(e.get(sigBase() + ".SF"), StandardCharsets.UTF_8) + "Name: x\r\nSHA-256-Digest: AAAA\r\n\r\n").getBytes(StandardCharsets.UTF_8)))),
                BUNDLE_SIGNATURE_INVALID, CORE_PATH);
        byte[] noise = new byte[3000];
        new Random(3).nextBytes(noise);
        add("signed JAR", "bundle is not a ZIP file", withBundle(CORE_PATH, noise), BUNDLE_MALFORMED, CORE_PATH);
        byte[] jar = ImageForge.of(good).get(CORE_PATH);
        add("signed JAR", "bundle cut short", withBundle(CORE_PATH, Arrays.copyOf(jar, jar.length - 30)), BUNDLE_MALFORMED, CORE_PATH);
        add("signed JAR", "entries signed by two different signers", withBundle(CORE_PATH, twoSigners()), BUNDLE_SIGNERS_DIFFER, CORE_PATH);
        add("signed JAR", "a second signature that signs nothing", withBundle(CORE_PATH, coreJarWith(e -> {
            e.put("META-INF/OTHER.SF", e.get(sigBase() + ".SF"));
            e.put("META-INF/OTHER.EC", e.get(sigBase() + ".EC"));
        })), EnumSet.of(BUNDLE_UNSIGNED), CORE_PATH);
    }

    /** Main.class signed only by one core key, about.txt only by another: no common signer. */
    private byte[] twoSigners() throws Exception {
        Map<String, byte[]> base = TestBundles.entries(Files.readAllBytes(fx.jar(Fixture.CORE)));
        Map<String, byte[]> withoutAbout = new LinkedHashMap<>(base);
        withoutAbout.remove("org/example/core/about.txt");
        Map<String, byte[]> withoutMain = new LinkedHashMap<>(base);
        withoutMain.remove("org/example/core/Main.class");
        SigningKey other = fx.pki.issue("core-2", SignerProfile.codeSigner(Zone.CORE, fx.clock).withCommonName("Second core signer"));
        Map<String, byte[]> a = TestBundles.entries(JarSigning.sign(TestBundles.rezip(withoutAbout), fx.pki.codeSigner(Zone.CORE), "VK-A", work));
        Map<String, byte[]> b = TestBundles.entries(JarSigning.sign(TestBundles.rezip(withoutMain), other, "VK-B", work));
        String mfA = new String(a.get("META-INF/MANIFEST.MF"), StandardCharsets.UTF_8);
        String mfB = new String(b.get("META-INF/MANIFEST.MF"), StandardCharsets.UTF_8);
        String aboutSection = Arrays.stream(mfB.split("\r\n\r\n")).filter(s -> s.startsWith("Name: org/example/core/about.txt"))
                .findFirst().orElseThrow() + "\r\n\r\n";
        Map<String, byte[]> merged = new LinkedHashMap<>(a);
        merged.put("META-INF/MANIFEST.MF", (mfA + aboutSection).getBytes(StandardCharsets.UTF_8));
        merged.put("META-INF/VK-B.SF", b.get("META-INF/VK-B.SF"));
        merged.put("META-INF/VK-B.EC", b.get("META-INF/VK-B.EC"));
        merged.put("org/example/core/about.txt", b.get("org/example/core/about.txt"));
        return TestBundles.rezip(merged);
    }

    // ---- identity, zones, policy ----------------------------------------------------------------

    private ImageManifest replaceBundleEntry(ImageManifest m, String path, java.util.function.UnaryOperator<ManifestBundle> change) {
        List<ManifestBundle> bs = new ArrayList<>();
        for (ManifestBundle b : m.bundles()) {
            bs.add(b.path().equals(path) ? change.apply(b) : b);
        }
        return new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), bs, m.config(), m.sbom());
    }

    private void identityAndZones() throws Exception {
        ImageForge f = ImageForge.of(good);
        ImageManifest m = f.manifest();
        String renamed = Fixture.path(BundleDomain.APP, "org.example.renamed");
        ImageForge r = ImageForge.of(good);
        r.put(renamed, r.get(CORE_PATH)).remove(CORE_PATH);
        ImageManifest mr = replaceBundleEntry(m, CORE_PATH, b -> new ManifestBundle(renamed, "org.example.renamed", b.version(), b.domain(),
                b.zone(), b.sha256(), b.sizeBytes()));
        add("identity", "manifest names the bundle differently than its JAR", r.seal(mr, fx.pki.imageSigner(), fx.clock).zip(),
                BUNDLE_IDENTITY, renamed);
        ImageManifest mv = replaceBundleEntry(m, CORE_PATH, b -> new ManifestBundle(b.path(), b.symbolicName(), "1.0.1", b.domain(),
                b.zone(), b.sha256(), b.sizeBytes()));
        add("identity", "manifest gives another version than the JAR", ImageForge.of(good).seal(mv, fx.pki.imageSigner(), fx.clock).zip(),
                BUNDLE_IDENTITY, CORE_PATH);

        // the safety domain with a core-zone bundle (signed by the core key, so only the zone rule is broken)
        ImageForge z = ImageForge.of(good);
        String safetyCore = Fixture.path(BundleDomain.SAFETY, Fixture.CORE);
        z.put(safetyCore, z.get(CORE_PATH));
        List<ManifestBundle> bs = new ArrayList<>(m.bundles());
        ManifestBundle core = m.bundles().stream().filter(b -> b.path().equals(CORE_PATH)).findFirst().orElseThrow();
        bs.add(new ManifestBundle(safetyCore, core.symbolicName(), core.version(), BundleDomain.SAFETY, Zone.CORE, core.sha256(), core.sizeBytes()));
        ImageManifest mz = new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), bs, m.config(), m.sbom());
        add("zones", "core zone in the safety domain", z.seal(mz, fx.pki.imageSigner(), fx.clock).zip(), ZONE_DOMAIN_MISMATCH, safetyCore);
        ImageForge z2 = ImageForge.of(good);
        String appSafety = Fixture.path(BundleDomain.APP, Fixture.SAFETY);
        z2.put(appSafety, z2.get(SAFETY_PATH));
        ManifestBundle safety = m.bundles().stream().filter(b -> b.path().equals(SAFETY_PATH)).findFirst().orElseThrow();
        List<ManifestBundle> bs2 = new ArrayList<>(m.bundles());
        bs2.add(new ManifestBundle(appSafety, safety.symbolicName(), safety.version(), BundleDomain.APP, Zone.SAFETY, safety.sha256(), safety.sizeBytes()));
        ImageManifest mz2 = new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), bs2, m.config(), m.sbom());
        add("zones", "safety zone in the application domain", z2.seal(mz2, fx.pki.imageSigner(), fx.clock).zip(), ZONE_DOMAIN_MISMATCH, appSafety);
        // a network bundle the manifest claims for the core zone: its signer's role says otherwise
        ImageManifest mn = replaceBundleEntry(m, Fixture.path(BundleDomain.APP, Fixture.NET), b -> new ManifestBundle(b.path(), b.symbolicName(),
                b.version(), b.domain(), Zone.CORE, b.sha256(), b.sizeBytes()));
        add("zones", "manifest moves a network bundle into the core zone", ImageForge.of(good).seal(mn, fx.pki.imageSigner(), fx.clock).zip(),
                CERT_WRONG_ROLE, Fixture.path(BundleDomain.APP, Fixture.NET));
    }

    private void policyChecks() throws Exception {
        cases.add(new Case("policy", "downgrade: floor one above the image", good, policy.withFloor(4), EnumSet.of(ROLLBACK), ImageFormat.MANIFEST));
        cases.add(new Case("policy", "downgrade: floor far above the image", good, policy.withFloor(1_000_000), EnumSet.of(ROLLBACK), ImageFormat.MANIFEST));
        cases.add(new Case("policy", "image for other hardware", good,
                new VerifyPolicy(policy.anchors(), "voltkeep-pi4", 0, TrustMode.FIELD, policy.limits(), policy.clock()),
                EnumSet.of(INCOMPATIBLE), ImageFormat.MANIFEST));
        ImageForge f = ImageForge.of(good);
        ImageManifest m = f.manifest();
        ImageManifest other = new ImageManifest("voltkeep-pi4", m.version(), m.securityVersion(), m.created(), m.bundles(), m.config(), m.sbom());
        add("policy", "manifest says other hardware", f.seal(other, fx.pki.imageSigner(), fx.clock).zip(), INCOMPATIBLE, ImageFormat.MANIFEST);
        ImageForge g = ImageForge.of(good);
        ImageManifest low = new ImageManifest(m.compatible(), m.version(), 0, m.created(), m.bundles(), m.config(), m.sbom());
        cases.add(new Case("policy", "re-signed with a lower security version", g.seal(low, fx.pki.imageSigner(), fx.clock).zip(),
                policy.withFloor(3), EnumSet.of(ROLLBACK), ImageFormat.MANIFEST));
        VerifyPolicy otherAnchors = new VerifyPolicy(List.of(DevPki.generate(fx.dir.resolve("other-pki"), fx.clock).root()),
                Fixture.COMPATIBLE, 0, TrustMode.FIELD, policy.limits(), policy.clock());
        cases.add(new Case("policy", "device trusts another root", good, otherAnchors, EnumSet.of(CERT_UNTRUSTED), ImageFormat.SIGNATURE));
        VerifyPolicy late = policy.withClock(java.time.Clock.fixed(fx.clock.instant().plus(Duration.ofDays(3 * 365)), java.time.ZoneOffset.UTC));
        cases.add(new Case("policy", "verified after the certificates expired", good, late, EnumSet.of(CERT_EXPIRED), ImageFormat.SIGNATURE));
        VerifyPolicy early = policy.withClock(java.time.Clock.fixed(fx.clock.instant().minus(Duration.ofDays(2)), java.time.ZoneOffset.UTC));
        cases.add(new Case("policy", "verified before the certificates were valid", good, early, EnumSet.of(CERT_NOT_YET_VALID), ImageFormat.SIGNATURE));
    }

    // ---- names, duplicates, sizes, missing and extra entries --------------------------------------

    private void names() throws Exception {
        String[] bad = {"../evil.jar", "bundles/app/../../../etc/passwd", "/etc/passwd", "bundles\\app\\evil.jar", "bundles/app/evil\u0000.jar",
            "C:/evil.jar", "bundles/app/./evil.jar", "bundles//app/evil.jar", "bundles/app/", "bundles/app/evil.exe", "bundles/kernel/evil.jar",
            "META-INF/MANIFEST.MF", "Manifest.json", "config/app/.hidden.cfg", "bundles/app/evil.jar\n", "sbom.cdx.json/x", ".."};
        for (String n : bad) {
            add("entry names", "entry '" + n.replace("\u0000", "\\0").replace("\n", "\\n") + "' added",
                    ImageForge.of(good).put(n, new byte[] {1, 2, 3}).zip(), ENTRY_NAME, null);
        }
        ImageForge r = ImageForge.of(good);
        byte[] jar = r.get(CORE_PATH);
        r.remove(CORE_PATH).put("bundles/app/../app/org.example.core.jar", jar);
        add("entry names", "bundle renamed with a traversal", r.zip(), ENTRY_NAME, null);
        // inside a bundle
        for (String n : new String[] {"../../evil.class", "/abs.class", "org\\example\\Evil.class", "org/./Evil.class"}) {
            add("entry names", "JAR entry '" + n + "'", withBundle(CORE_PATH, coreJarWith(e -> e.put(n, new byte[] {1}))), ENTRY_NAME, CORE_PATH + "!/");
        }
    }

    private void duplicates() throws Exception {
        ImageForge f = ImageForge.of(good);
        for (String dup : List.of(ImageFormat.MANIFEST, ImageFormat.SIGNATURE, CORE_PATH, "config/app/org.example.core.cfg", ImageFormat.SBOM)) {
            ZipWriter w = new ZipWriter();
            for (String n : f.names()) {
                w.add(n, f.get(n));
            }
            w.add(dup, f.get(dup));
            add("duplicates", dup + " twice", w.toByteArray(), DUPLICATE_ENTRY, dup);
        }
        ZipWriter w = new ZipWriter();
        for (String n : f.names()) {
            w.add(n, n.equals(CORE_PATH) ? f.get(SAFETY_PATH) : f.get(n));
            if (n.equals(CORE_PATH)) {
                w.add(n, f.get(n));
            }
        }
        add("duplicates", "two bundles under one name, the first one bad", w.toByteArray(), DUPLICATE_ENTRY, CORE_PATH);
        // inside a bundle: a second Main.class, and a second manifest that differs only in case
        Map<String, byte[]> entries = TestBundles.entries(f.get(CORE_PATH));
        ZipWriter jar = new ZipWriter();
        entries.forEach(jar::add);
        jar.add("org/example/core/Main.class", new byte[] {1});
        add("duplicates", "JAR with a second Main.class", withBundle(CORE_PATH, jar.toByteArray()), DUPLICATE_ENTRY,
                CORE_PATH + "!/org/example/core/Main.class");
        ZipWriter jar2 = new ZipWriter();
        entries.forEach(jar2::add);
        jar2.add("meta-inf/manifest.mf", "Manifest-Version: 1.0\r\nBundle-SymbolicName: evil\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        add("duplicates", "JAR with a second manifest in lower case", withBundle(CORE_PATH, jar2.toByteArray()), DUPLICATE_ENTRY, CORE_PATH + "!/");
    }

    private void sizes() throws Exception {
        VerifyPolicy.Limits d = VerifyPolicy.Limits.DEFAULT;
        cases.add(new Case("sizes", "more entries than the cap", good, policy.withLimits(new VerifyPolicy.Limits(d.maxImageBytes(),
                d.maxEntryBytes(), 5, d.maxBundleEntries())), EnumSet.of(SIZE_LIMIT), null));
        cases.add(new Case("sizes", "an entry over the per-entry cap", good, policy.withLimits(new VerifyPolicy.Limits(d.maxImageBytes(),
                1024, d.maxEntries(), d.maxBundleEntries())), EnumSet.of(SIZE_LIMIT), null));
        cases.add(new Case("sizes", "image over the image cap", good, policy.withLimits(new VerifyPolicy.Limits(good.length - 1,
                good.length - 1, d.maxEntries(), d.maxBundleEntries())), EnumSet.of(SIZE_LIMIT), null));
        cases.add(new Case("sizes", "bundle with more entries than the cap", good, policy.withLimits(new VerifyPolicy.Limits(d.maxImageBytes(),
                d.maxEntryBytes(), d.maxEntries(), 3)), EnumSet.of(SIZE_LIMIT), "bundles/"));

        // a central directory that declares an absurd size for a bundle
        ZipArchive zip = ZipArchive.parse(good, ZipArchive.Profile.IMAGE, Long.MAX_VALUE / 4, 10_000, Long.MAX_VALUE / 4);
        long cd = zip.entries().get(zip.entries().size() - 1).dataOffset() + zip.entries().get(zip.entries().size() - 1).compressedSize();
        for (long declared : new long[] {0xFFFF_FFF0L, 3L << 30, 300L << 20}) {
            byte[] absurd = good.clone();
            int h = centralHeaderOf(absurd, (int) cd, CORE_PATH);
            putInt(absurd, h + 20, declared);
            putInt(absurd, h + 24, declared);
            add("sizes", "central directory declares " + declared + " bytes for a bundle", absurd, SIZE_LIMIT, CORE_PATH);
        }
        byte[] huge = good.clone();
        putShort(huge, good.length - 22 + 8, 0xFFFE);
        putShort(huge, good.length - 22 + 10, 0xFFFE);
        add("sizes", "end record declares 65534 entries", huge, EnumSet.of(SIZE_LIMIT), null);

        // zip bomb inside a bundle: 8 MiB of zeros, a few KiB compressed, properly signed
        Map<String, byte[]> bomb = new LinkedHashMap<>(TestBundles.entries(Files.readAllBytes(fx.jar(Fixture.CORE))));
        bomb.remove("META-INF/MANIFEST.MF");
        bomb.put("org/example/core/zeros.bin", new byte[8 << 20]);
        byte[] bombJar = JarSigning.sign(TestBundles.bundle(Fixture.CORE, "1.0.0", bomb), fx.pki.codeSigner(Zone.CORE), "VK-CORE", work);
        VerifyPolicy oneMiB = policy.withLimits(new VerifyPolicy.Limits(d.maxImageBytes(), 1 << 20, d.maxEntries(), d.maxBundleEntries()));
        cases.add(new Case("sizes", "zip bomb inside a bundle", withBundle(CORE_PATH, bombJar), oneMiB, EnumSet.of(SIZE_LIMIT),
                CORE_PATH + "!/org/example/core/zeros.bin"));
        // a bundle entry that inflates to more than its central directory declares
        // rewritten with data descriptors, so only the central directory states the size; the signature still holds
        byte[] described = TestBundles.rezip(TestBundles.entries(ImageForge.of(good).get(CORE_PATH)));
        byte[] lying = lieAboutSize(described, "org/example/core/about.txt", 3);
        // the JDK reads no more than the central directory declares, so the cut-off content fails its digest
        add("sizes", "bundle entry inflating past its declared size", withBundle(CORE_PATH, lying), BUNDLE_TAMPERED,
                CORE_PATH + "!/org/example/core/about.txt");
        byte[] shorter = lieAboutSize(described, "org/example/core/about.txt", 4096);
        add("sizes", "bundle entry inflating to less than its declared size", withBundle(CORE_PATH, shorter),
                EnumSet.of(BUNDLE_MALFORMED, BUNDLE_TAMPERED), CORE_PATH + "!/org/example/core/about.txt");
    }

    private static int centralHeaderOf(byte[] zip, int from, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int p = from; p < zip.length - 46; p++) {
            if (zip[p] == 0x50 && zip[p + 1] == 0x4b && zip[p + 2] == 1 && zip[p + 3] == 2
                    && Arrays.equals(Arrays.copyOfRange(zip, p + 46, p + 46 + n.length), n)) {
                return p;
            }
        }
        throw new IllegalStateException("no central header for " + name);
    }

    /** Sets an entry's uncompressed size in the JAR's central directory (its data uses a descriptor, so the local header has none). */
    private static byte[] lieAboutSize(byte[] jar, String name, long size) throws Exception {
        ZipArchive z = ZipArchive.parse(jar, ZipArchive.Profile.JAR, Long.MAX_VALUE / 4, 10_000, Long.MAX_VALUE / 4);
        ZipArchive.Entry last = z.entries().stream().max(java.util.Comparator.comparingLong(ZipArchive.Entry::dataOffset)).orElseThrow();
        byte[] out = jar.clone();
        int h = centralHeaderOf(out, (int) (last.dataOffset() + last.compressedSize()), name);
        putInt(out, h + 24, size);
        return out;
    }

    private static void putInt(byte[] b, int off, long v) {
        putShort(b, off, (int) (v & 0xffff));
        putShort(b, off + 2, (int) ((v >>> 16) & 0xffff));
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private void missingAndExtra() throws Exception {
        add("missing", "manifest removed", ImageForge.of(good).remove(ImageFormat.MANIFEST).zip(), MANIFEST_MISSING, ImageFormat.MANIFEST);
        add("missing", "signature removed", ImageForge.of(good).remove(ImageFormat.SIGNATURE).zip(), SIGNATURE_MISSING, ImageFormat.SIGNATURE);
        for (String n : ImageForge.of(good).names()) {
            if (!n.equals(ImageFormat.MANIFEST) && !n.equals(ImageFormat.SIGNATURE)) {
                add("missing", n + " removed", ImageForge.of(good).remove(n).zip(), ENTRY_MISSING, n);
            }
        }
        add("missing", "empty image", new ZipWriter().toByteArray(), MANIFEST_MISSING, ImageFormat.MANIFEST);
        add("extra", "unlisted configuration file", ImageForge.of(good).put("config/app/org.example.extra.cfg", new byte[] {'a'}).zip(),
                ENTRY_NOT_LISTED, "config/app/org.example.extra.cfg");
        add("extra", "unlisted bundle, properly signed", ImageForge.of(good).put("bundles/app/org.example.extra.jar",
                signed(Fixture.CORE, fx.pki.codeSigner(Zone.CORE))).zip(), ENTRY_NOT_LISTED, "bundles/app/org.example.extra.jar");
        add("extra", "unlisted safety bundle", ImageForge.of(good).put("bundles/safety/org.example.core.jar",
                ImageForge.of(good).get(CORE_PATH)).zip(), ENTRY_NOT_LISTED, "bundles/safety/org.example.core.jar");
    }

    // ---- manifest schema and SBOM ----------------------------------------------------------------

    private void manifestSchema() throws Exception {
        ImageForge f = ImageForge.of(good);
        String text = f.manifestText();
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("unknown top-level key", text.replaceFirst("\\{", "{\n  \"debug\": true,"));
        edits.put("unknown bundle key", text.replaceFirst("\"symbolicName\"", "\"activator\": \"x\",\n      \"symbolicName\""));
        edits.put("schema version 2", text.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));
        edits.put("negative security version", text.replace("\"securityVersion\": 3", "\"securityVersion\": -3"));
        edits.put("fractional security version", text.replace("\"securityVersion\": 3", "\"securityVersion\": 3.5"));
        edits.put("unknown zone", text.replaceFirst("\"zone\": \"core\"", "\"zone\": \"kernel\""));
        edits.put("unknown domain", text.replaceFirst("\"domain\": \"app\"", "\"domain\": \"cloud\""));
        edits.put("upper-case hash", text.replaceFirst("\"sha256\": \"([0-9a-f]{64})\"", "\"sha256\": \"" + "A".repeat(64) + "\""));
        edits.put("created missing", text.replaceFirst("\"created\": \"[^\"]*\",", ""));
        edits.put("created not a time", text.replaceFirst("\"created\": \"[^\"]*\"", "\"created\": \"yesterday\""));
        edits.put("version not semantic", text.replace("\"version\": \"1.2.0\"", "\"version\": \"1.2\""));
        edits.put("duplicate key", text.replaceFirst("\\{", "{\n  \"version\": \"1.2.0\","));
        edits.put("trailing garbage", text + "{}");
        edits.put("not JSON", "compatible=voltkeep-sim\n");
        edits.put("byte-order mark", "\uFEFF" + text);
        edits.put("bundle path not matching its name", text.replace("bundles/app/org.example.core.jar", "bundles/app/org.example.other.jar"));
        edits.put("no bundles", text.replaceFirst("(?s)\"bundles\": \\[.*?\\n  \\],", "\"bundles\": [],"));
        edits.put("size as a string", text.replaceFirst("\"size\": (\\d+)", "\"size\": \"$1\""));
        for (Map.Entry<String, String> e : edits.entrySet()) {
            if (e.getValue().equals(text)) {
                throw new IllegalStateException("edit '" + e.getKey() + "' changed nothing");
            }
            add("manifest schema", e.getKey(), ImageForge.of(good).signRaw(e.getValue().getBytes(StandardCharsets.UTF_8), fx.pki.imageSigner(), fx.clock).zip(),
                    MANIFEST_INVALID, ImageFormat.MANIFEST);
        }
        byte[] latin1 = ("{\"compatible\": \"voltkeep-sim\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
        add("manifest schema", "not UTF-8", ImageForge.of(good).signRaw(latin1, fx.pki.imageSigner(), fx.clock).zip(), MANIFEST_INVALID, ImageFormat.MANIFEST);
    }

    private void sbom() throws Exception {
        ImageForge f = ImageForge.of(good);
        ImageManifest m = f.manifest();
        String text = new String(f.get(ImageFormat.SBOM), StandardCharsets.UTF_8);
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("not CycloneDX", text.replace("\"CycloneDX\"", "\"SPDX\""));
        edits.put("other spec version", text.replace("\"specVersion\": \"1.5\"", "\"specVersion\": \"1.2\""));
        edits.put("a bundle missing", text.replace("\"bom-ref\": \"" + CORE_PATH + "\"", "\"bom-ref\": \"elsewhere\""));
        edits.put("a bundle's hash wrong", text.replaceFirst("\"content\": \"[0-9a-f]{64}\"", "\"content\": \"" + "0".repeat(64) + "\""));
        edits.put("not JSON", "<bom/>");
        for (Map.Entry<String, String> e : edits.entrySet()) {
            byte[] sbom = e.getValue().getBytes(StandardCharsets.UTF_8);
            ImageForge g = ImageForge.of(good).put(ImageFormat.SBOM, sbom);
            ImageManifest withSbom = new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), m.bundles(), m.config(),
                    new ManifestFile(ImageFormat.SBOM, org.voltkeep.image.internal.Hashes.sha256Hex(sbom), sbom.length));
            add("SBOM", e.getKey(), g.signRaw(withSbom.toJsonBytes(), fx.pki.imageSigner(), fx.clock).zip(), SBOM_INVALID, ImageFormat.SBOM);
        }
    }
}
