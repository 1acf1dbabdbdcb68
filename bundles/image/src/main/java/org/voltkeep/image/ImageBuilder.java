package org.voltkeep.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.JarSigning;
import org.voltkeep.image.internal.ManifestSignature;
import org.voltkeep.image.internal.Sbom;
import org.voltkeep.image.internal.SignedJarCheck;
import org.voltkeep.image.internal.ZipWriter;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Builds and signs an image: each bundle JAR is signed as a standard signed JAR with the
 * code-signing key of its zone (a JAR already signed for that zone is kept byte for byte),
 * the SBOM and manifest are written, the manifest is signed by the image signer, and
 * everything is packed into one file. When the keys come with their anchors, the finished
 * image is verified before it is written, so a key with the wrong role fails the build
 * rather than every device.
 *
 * <pre>
 * BuiltImage img = new ImageBuilder(devPki.imageKeys())
 *         .compatible("voltkeep-sim").version("1.2.0").securityVersion(3)
 *         .bundle(safetyJar, BundleDomain.SAFETY, Zone.SAFETY)
 *         .bundle(mqttJar, BundleDomain.APP, Zone.NETWORK)
 *         .configDir(BundleDomain.SAFETY, Path.of("runtime-config/config/safety"))
 *         .build(Path.of("target/voltkeep.img"));
 * </pre>
 */
public final class ImageBuilder {
    /** Larger inputs than this would be refused by every device with default caps. */
    private static final long MAX_INPUT_BYTES = VerifyPolicy.Limits.DEFAULT.maxEntryBytes();

    private record BundleSource(Path jar, BundleDomain domain, Zone zone) {
    }

    private record ConfigSource(BundleDomain domain, Path file) {
    }

    /** Empty for an image whose manifest another step signs ({@link ImageResigner}). */
    private final Optional<SigningKey> imageSigner;
    private final Map<Zone, SigningKey> codeSigners;
    private final List<X509Certificate> anchors;
    private final List<BundleSource> bundles = new ArrayList<>();
    private final List<ConfigSource> configs = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
    private String compatible;
    private String version;
    private long securityVersion;

    public ImageBuilder(ImageKeys keys) {
        this(Optional.of(keys.imageSigner()), keys.codeSigners(), keys.anchors());
    }

    private ImageBuilder(Optional<SigningKey> imageSigner, Map<Zone, SigningKey> codeSigners, List<X509Certificate> anchors) {
        this.imageSigner = imageSigner;
        this.codeSigners = Map.copyOf(codeSigners);
        this.anchors = List.copyOf(anchors);
    }

    /**
     * A builder that signs the bundles but leaves the manifest unsigned: no
     * {@code manifest.json.p7s}, so no device accepts the image until
     * {@link ImageResigner} signs it. For pipelines whose build holds code-signing keys
     * only and whose image signer is kept elsewhere (a token used at release). With
     * anchors, the finished image is checked as {@link ImageResigner} would check it
     * (every file's hash and size, every bundle's signature, chain and role).
     *
     * @param codeSigners the code signer of each zone the image has bundles in
     * @param anchors     the roots the code signers chain to; may be empty (then nothing is kept as is and nothing is checked)
     */
    public static ImageBuilder unsigned(Map<Zone, SigningKey> codeSigners, List<X509Certificate> anchors) {
        return new ImageBuilder(Optional.empty(), codeSigners, anchors);
    }

    /** Time for the manifest's {@code created}, the signing time and the self-check. */
    public ImageBuilder clock(Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    /** Scratch space for signing (the JDK's JAR signer reads the unsigned JAR from a file). */
    public ImageBuilder workDir(Path dir) {
        this.workDir = Objects.requireNonNull(dir, "workDir");
        return this;
    }

    public ImageBuilder compatible(String hardware) {
        this.compatible = hardware;
        return this;
    }

    /** Semantic version of the image. */
    public ImageBuilder version(String semver) {
        this.version = semver;
        return this;
    }

    /** Anti-rollback counter value (0 and up). */
    public ImageBuilder securityVersion(long n) {
        this.securityVersion = n;
        return this;
    }

    /** Adds a bundle JAR for a domain and zone. A JAR that runs in both domains is added twice. */
    public ImageBuilder bundle(Path jar, BundleDomain domain, Zone zone) {
        bundles.add(new BundleSource(Objects.requireNonNull(jar, "jar"), Objects.requireNonNull(domain, "domain"),
                Objects.requireNonNull(zone, "zone")));
        return this;
    }

    /** Adds every {@code *.cfg} file of a directory as a configuration default of a domain. */
    public ImageBuilder configDir(BundleDomain domain, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cfg")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            configFile(domain, f);
        }
        return this;
    }

    /** Adds one configuration file ({@code <pid>.cfg}) as a default of a domain. */
    public ImageBuilder configFile(BundleDomain domain, Path file) {
        configs.add(new ConfigSource(Objects.requireNonNull(domain, "domain"), Objects.requireNonNull(file, "file")));
        return this;
    }

    /**
     * Builds, signs, checks and writes the image (atomically: a new file, then a rename).
     * A builder made by {@link #unsigned} writes no manifest signature.
     */
    public BuiltImage build(Path out) throws IOException, ImageBuildException {
        if (compatible == null || version == null) {
            throw new ImageBuildException("compatible and version are required");
        }
        Files.createDirectories(workDir);
        Path scratch = Files.createTempDirectory(workDir, "voltkeep-build-");
        try {
            TrustMode mode = trustModeOfKeys();
            VerifyPolicy check = anchors.isEmpty() ? null
                    : new VerifyPolicy(anchors, compatible, 0, mode, VerifyPolicy.Limits.DEFAULT, clock);
            List<ManifestBundle> listed = new ArrayList<>();
            List<Sbom.Component> components = new ArrayList<>();
            List<byte[]> jarBytes = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            Set<String> paths = new HashSet<>();
            for (BundleSource src : bundles) {
                JarIdentity id = identity(src.jar());
                String path = ImageFormat.bundlePath(src.domain(), id.symbolicName());
                if (!paths.add(path)) {
                    throw new ImageBuildException(src.jar() + ": " + id.symbolicName() + " is already in domain " + src.domain().id());
                }
                byte[] original = readCapped(src.jar());
                byte[] signed;
                if (check != null && alreadySigned(path, original, src.zone(), check)) {
                    signed = original;
                    kept.add(path);
                } else {
                    try {
                        signed = JarSigning.sign(original, codeSigner(src.zone()), signerName(src.zone()), scratch);
                    } catch (GeneralSecurityException e) {
                        throw new ImageBuildException(src.jar() + ": cannot sign for zone " + src.zone().id() + ": " + e.getMessage(), e);
                    }
                }
                ManifestBundle mb;
                try {
                    mb = new ManifestBundle(path, id.symbolicName(), id.version(), src.domain(), src.zone(),
                            Hashes.sha256Hex(signed), signed.length);
                } catch (IllegalArgumentException e) {
                    throw new ImageBuildException(src.jar() + ": " + e.getMessage(), e);
                }
                listed.add(mb);
                components.add(new Sbom.Component(mb, id.purl()));
                jarBytes.add(signed);
            }
            List<ManifestFile> configFiles = new ArrayList<>();
            List<byte[]> configBytes = new ArrayList<>();
            for (ConfigSource c : configs) {
                String name = c.file().getFileName().toString();
                String pid = name.endsWith(".cfg") ? name.substring(0, name.length() - 4) : name;
                if (!name.endsWith(".cfg") || !ImageFormat.PID.matcher(pid).matches()) {
                    throw new ImageBuildException(c.file() + ": configuration files must be named <pid>.cfg");
                }
                byte[] bytes = readCapped(c.file());
                String path = ImageFormat.configPath(c.domain(), pid);
                if (!paths.add(path)) {
                    throw new ImageBuildException(c.file() + ": " + path + " is already in the image");
                }
                configFiles.add(new ManifestFile(path, Hashes.sha256Hex(bytes), bytes.length));
                configBytes.add(bytes);
            }
            byte[] sbom = Sbom.write(compatible, version, clock.instant(), components);
            ImageManifest manifest;
            try {
                manifest = new ImageManifest(compatible, version, securityVersion, clock.instant(), listed, configFiles,
                        new ManifestFile(ImageFormat.SBOM, Hashes.sha256Hex(sbom), sbom.length));
            } catch (IllegalArgumentException e) {
                throw new ImageBuildException("invalid image: " + e.getMessage(), e);
            }
            byte[] manifestBytes = manifest.toJsonBytes();
            ZipWriter zip = new ZipWriter().add(ImageFormat.MANIFEST, manifestBytes);
            if (imageSigner.isPresent()) {
                try {
                    zip.add(ImageFormat.SIGNATURE, ManifestSignature.sign(manifestBytes, imageSigner.get(), clock.instant()));
                } catch (GeneralSecurityException e) {
                    throw new ImageBuildException("cannot sign the manifest: " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < listed.size(); i++) {
                zip.add(listed.get(i).path(), jarBytes.get(i));
            }
            for (int i = 0; i < configFiles.size(); i++) {
                zip.add(configFiles.get(i).path(), configBytes.get(i));
            }
            zip.add(ImageFormat.SBOM, sbom);
            byte[] image = zip.toByteArray();
            if (check != null) {
                try {
                    if (imageSigner.isPresent()) {
                        ImageVerifier.verify(image, check);
                    } else {
                        ImageVerifier.checkContents(manifest, ImageVerifier.readEntries(image, check.limits()), check);
                    }
                } catch (ImageRejected r) {
                    throw new ImageBuildException("the built image would be rejected: " + r.getMessage(), r);
                }
            }
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
            try {
                Files.write(tmp, image);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new BuiltImage(out, manifest, Hashes.sha256Hex(manifestBytes), kept);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Signs a manifest (detached CMS SignedData, DER) with {@code key}: for pipelines that
     * assemble the rest themselves.
     */
    public static byte[] signManifest(byte[] manifestJson, SigningKey key, Clock clock) throws ImageBuildException {
        try {
            return ManifestSignature.sign(manifestJson, key, clock.instant());
        } catch (GeneralSecurityException | IOException e) {
            throw new ImageBuildException("cannot sign the manifest with '" + key.describe() + "': " + e.getMessage(), e);
        }
    }

    /** The signature file name of a zone's signer ({@code META-INF/VK-CORE.SF}). */
    static String signerName(Zone zone) {
        return switch (zone) {
            case SAFETY -> "VK-SAFE";
            case CORE -> "VK-CORE";
            case NETWORK -> "VK-NET";
        };
    }

    /**
     * A JAR already signed for its zone (chain to the anchors, right role) is kept. One that
     * is signed but fails its own signature is refused: signing over it would bless the
     * tampering.
     */
    private static boolean alreadySigned(String path, byte[] jar, Zone zone, VerifyPolicy check) throws ImageBuildException {
        try {
            SignedJarCheck.check(path, jar, zone, check);
            return true;
        } catch (ImageRejected r) {
            if (r.reason() == Reason.BUNDLE_TAMPERED || r.reason() == Reason.BUNDLE_SIGNATURE_INVALID) {
                throw new ImageBuildException("refusing to sign over a broken signature: " + r.getMessage(), r);
            }
            return false;
        }
    }

    /** The code signer of a zone; the message says which zone has none. */
    private SigningKey codeSigner(Zone zone) throws ImageBuildException {
        SigningKey k = codeSigners.get(zone);
        if (k == null) {
            throw new ImageBuildException("no code-signing key for zone " + zone.id());
        }
        return k;
    }

    /** Development trust is needed when a key stands in for a role by being a developer key. */
    private TrustMode trustModeOfKeys() throws ImageBuildException {
        List<SigningKey> all = new ArrayList<>(codeSigners.values());
        imageSigner.ifPresent(all::add);
        for (SigningKey k : all) {
            try {
                Set<SignerRole> roles = SignerRole.rolesOf(k.certificate());
                if (roles.contains(SignerRole.DEVELOPER)) {
                    return TrustMode.DEVELOPMENT;
                }
            } catch (RotException e) {
                throw new ImageBuildException(k.describe() + ": " + e.getMessage(), e);
            }
        }
        return TrustMode.FIELD;
    }

    /** Removes the builder's scratch directory (only copies of the inputs: a leftover is untidy, not unsafe). */
    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // see above
        }
    }

    private static byte[] readCapped(Path file) throws IOException, ImageBuildException {
        long size = Files.size(file);
        if (size > MAX_INPUT_BYTES) {
            throw new ImageBuildException(file + " has " + size + " bytes, more than the " + MAX_INPUT_BYTES + " a device accepts per entry");
        }
        return Files.readAllBytes(file);
    }

    private record JarIdentity(String symbolicName, String version, String purl) {
    }

    private static JarIdentity identity(Path jar) throws IOException, ImageBuildException {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest mf = jf.getManifest();
            if (mf == null) {
                throw new ImageBuildException(jar + ": no META-INF/MANIFEST.MF");
            }
            Attributes main = mf.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            String version = main.getValue("Bundle-Version");
            if (bsn == null || bsn.isBlank() || version == null || version.isBlank()) {
                throw new ImageBuildException(jar + ": not an OSGi bundle (needs Bundle-SymbolicName and Bundle-Version)");
            }
            int semi = bsn.indexOf(';');
            bsn = (semi >= 0 ? bsn.substring(0, semi) : bsn).trim();
            return new JarIdentity(bsn, version.trim(), purl(jf));
        }
    }

    /** Maven coordinates as a package URL, when the JAR carries exactly one pom.properties. */
    private static String purl(JarFile jf) throws IOException {
        List<JarEntry> poms = jf.stream()
                .filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties"))
                .toList();
        if (poms.size() != 1) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = jf.getInputStream(poms.get(0))) {
            p.load(in);
        }
        String g = p.getProperty("groupId");
        String a = p.getProperty("artifactId");
        String v = p.getProperty("version");
        if (g == null || a == null || v == null) {
            return null;
        }
        return "pkg:maven/" + g.trim() + "/" + a.trim() + "@" + v.trim();
    }
}
