package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.voltkeep.image.BuiltImage;
import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuildException;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageKeys;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageVerifier;
import org.voltkeep.image.ManifestBundle;
import org.voltkeep.image.VerifiedImage;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.TrustMode;

/** {@code voltkeep image build|verify}: signed images from the command line and from the build. */
final class ImageCommand {
    static final String HELP = """
            usage: voltkeep image build --dev --version V [--security-version N] [--board sim] --out FILE
                   voltkeep image build --keys DIR --version V [--security-version N] [--board sim] --out FILE
                   voltkeep image verify FILE --anchors FILE [--board sim] [--floor N] [--development] [--json]

            build   packs the bundles of this build (runtime-config/image/bundles.list says
                    which domain and zone each is in) and the default configuration into one
                    image: every bundle a signed JAR (jarsigner accepts it), the manifest signed
                    with CMS. --dev signs with this build's development PKI (made under
                    launcher/target/dev-pki if missing); --keys DIR signs with a PKI laid out
                    the same way (dev-pki.p12, its password file, anchors.pem).
            verify  checks an image as a device would: manifest signature and chain to an
                    anchor, signer roles, compatible hardware (voltkeep-<board>), anti-rollback
                    floor, every bundle's hash, signature and role. Exit 0 and a summary when
                    valid; exit 1 and the precise reason (which entry, which check) when not.
                    --development also accepts developer-signed images, as a device in
                    development trust does.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ImageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        if (argv.isEmpty()) {
            throw new UsageException("image: build or verify?\n\n" + HELP);
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "build" -> build(rest);
            case "verify" -> verify(rest);
            default -> throw new UsageException("image: unknown sub-command '" + argv.get(0) + "' (build or verify)");
        };
    }

    private int build(List<String> argv) throws UsageException {
        Args a = Args.parse("image build", argv, Set.of("version", "security-version", "board", "out", "keys"), Set.of("dev"));
        a.noPositionals("image build");
        if (a.flag("dev") == a.value("keys").isPresent()) {
            throw new UsageException("image build: give exactly one of --dev or --keys DIR");
        }
        String version = a.value("version").orElseThrow(() -> new UsageException("image build: --version V is required"));
        Path outFile = a.path("out").orElseThrow(() -> new UsageException("image build: --out FILE is required"));
        long securityVersion = a.nonNegativeLong("image build", "security-version", 0);
        String board = a.value("board").orElse("sim");
        Installation inst = Installation.locate();
        try {
            DevPki pki = a.flag("dev") ? DevPki.openOrGenerate(inst.devPki(), Clock.systemUTC()) : DevPki.open(a.path("keys").get());
            ImageKeys keys = pki.imageKeys();
            ImageBuilder b = new ImageBuilder(keys)
                    .compatible(BootVerifier.compatibleFor(board))
                    .version(version)
                    .securityVersion(securityVersion)
                    .workDir(outFile.toAbsolutePath().getParent());
            addBundles(inst, b);
            for (BundleDomain d : BundleDomain.values()) {
                b.configDir(d, inst.defaultConfig(d));
            }
            BuiltImage built = b.build(outFile);
            out.printf("image %s %s (security version %d, %s): %d bundles, manifest sha256 %s%n", outFile,
                    built.manifest().version(), built.manifest().securityVersion(), built.manifest().compatible(),
                    built.manifest().bundles().size(), built.manifestSha256());
            out.println("signed with " + (a.flag("dev") ? "the development PKI in " + inst.devPki() : "the PKI in " + a.path("keys").get()));
            return 0;
        } catch (IOException | GeneralSecurityException | ImageBuildException e) {
            err.println("voltkeep image build: " + e.getMessage());
            return 1;
        }
    }

    /** Exactly the listed bundles, each in its domains and zones; anything else stops the build. */
    private static void addBundles(Installation inst, ImageBuilder b) throws IOException, UsageException {
        BundleCatalog catalog = BundleCatalog.read(inst.bundleList());
        List<Path> jars;
        try (Stream<Path> s = Files.list(inst.bundles())) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        java.util.Map<String, Path> bySymbolicName = new java.util.LinkedHashMap<>();
        for (Path jar : jars) {
            String bsn = BundleJar.read(jar.getFileName().toString(), Files.readAllBytes(jar)).symbolicName();
            if (catalog.entries().get(bsn) == null) {
                throw new IOException("bundle " + bsn + " (" + jar.getFileName() + ") is not in " + inst.bundleList().getFileName());
            }
            if (bySymbolicName.put(bsn, jar) != null) {
                throw new IOException("two JARs of bundle " + bsn + " in " + inst.bundles());
            }
        }
        Set<String> missing = new HashSet<>(catalog.entries().keySet());
        missing.removeAll(bySymbolicName.keySet());
        if (!missing.isEmpty()) {
            throw new IOException("bundles listed but not built: " + String.join(", ", missing.stream().sorted().toList()));
        }
        for (var e : catalog.entries().entrySet()) {
            for (BundleDomain d : e.getValue().domains()) {
                b.bundle(bySymbolicName.get(e.getKey()), d, e.getValue().zoneIn(d));
            }
        }
    }

    private int verify(List<String> argv) throws UsageException {
        Args a = Args.parse("image verify", argv, Set.of("anchors", "board", "floor"), Set.of("development", "json"));
        if (a.positionals().size() != 1) {
            throw new UsageException("image verify: give one image FILE");
        }
        Path image = Path.of(a.positionals().get(0));
        Path anchorsFile = a.path("anchors").orElseThrow(() -> new UsageException("image verify: --anchors FILE is required"));
        List<X509Certificate> anchors;
        try {
            anchors = DevPki.readCertificates(anchorsFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new UsageException("image verify: cannot read anchors " + anchorsFile + ": " + e.getMessage());
        }
        if (anchors.isEmpty()) {
            throw new UsageException("image verify: no certificate in " + anchorsFile);
        }
        long floor = a.nonNegativeLong("image verify", "floor", 0);
        TrustMode mode = a.flag("development") ? TrustMode.DEVELOPMENT : TrustMode.FIELD;
        String compatible = BootVerifier.compatibleFor(a.value("board").orElse("sim"));
        long t0 = System.nanoTime();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("voltkeep-verify-");
            VerifyPolicy policy = VerifyPolicy.of(anchors, compatible, floor).withTrustMode(mode).withWorkDir(scratch);
            VerifiedImage v = ImageVerifier.verify(image, policy);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (a.flag("json")) {
                Json.Arr bundles = Json.array();
                for (ManifestBundle mb : v.manifest().bundles()) {
                    bundles.add(Json.object().put("path", mb.path()).put("symbolicName", mb.symbolicName())
                            .put("version", mb.version()).put("domain", mb.domain().id()).put("zone", mb.zone().id())
                            .put("sha256", mb.sha256()));
                }
                out.println(Json.object().put("valid", true).put("image", image.toString())
                        .put("version", v.manifest().version()).put("securityVersion", v.manifest().securityVersion())
                        .put("compatible", v.manifest().compatible()).put("manifestSha256", v.manifestSha256())
                        .put("developmentSigned", v.developmentSigned()).put("bundles", bundles).put("millis", ms).writePretty());
            } else {
                out.printf("valid: %s version %s, security version %d, %s, %d bundles, manifest sha256 %s (%d ms)%n", image,
                        v.manifest().version(), v.manifest().securityVersion(), v.manifest().compatible(),
                        v.manifest().bundles().size(), v.manifestSha256(), ms);
            }
            return 0;
        } catch (ImageRejected e) {
            if (a.flag("json")) {
                out.println(Json.object().put("valid", false).put("image", image.toString()).put("reason", e.reason().name())
                        .put("entry", e.entry().orElse("")).put("detail", e.detail()).writePretty());
            }
            err.println("invalid: " + image + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("voltkeep image verify: " + e.getMessage());
            return 1;
        } finally {
            if (scratch != null) {
                try {
                    FileOps.REAL.deleteTree(scratch);
                } catch (IOException e) {
                    // public bytes only
                }
            }
        }
    }
}
