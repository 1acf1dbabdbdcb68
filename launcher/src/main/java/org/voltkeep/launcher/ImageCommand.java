package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.voltkeep.image.BuiltImage;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuildException;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageResigner;
import org.voltkeep.image.ImageVerifier;
import org.voltkeep.image.ManifestBundle;
import org.voltkeep.image.ResignedImage;
import org.voltkeep.image.VerifiedImage;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.TrustMode;

/** {@code voltkeep image build|sign|verify}: signed images from the command line, the build and release pipelines. */
final class ImageCommand {
    static final String HELP = """
            usage: voltkeep image build KEYS [--unsigned] --version V [--security-version N] [--board sim] --out FILE [SOURCES]
                   voltkeep image sign IMAGE --out FILE KEYS [--anchors FILE]
                   voltkeep image verify FILE --anchors FILE [--board sim] [--floor N] [--development] [--json]

            KEYS, one of:
              --dev                  this build's development PKI (made under launcher/target/dev-pki if missing)
              --keys DIR             a PKI laid out the same way (dev-pki.p12, its password file, anchors.pem)
              --pkcs11-config FILE   keys kept in a PKCS#11 token: library, slot|slotListIndex|tokenLabel,
                                     pin|pinFile (the format 'provision' reads). Every signature is made
                                     in the token; no private key leaves it. Name the keys by alias:
                --image-key ALIAS          the image signer (signs the manifest)
                --code-key-safety ALIAS    the code signer of the safety zone (build only;
                --code-key-core ALIAS        each zone that has bundles needs one)
                --code-key-network ALIAS
                --certs FILE               PEM certificates of the token keys and their CAs, for a token
                                           that holds placeholder certificates (keytool -genkeypair) or no
                                           CAs; a key's certificate is found by its public key
              --anchors FILE         the roots the keys chain to; --dev and --keys default to the PKI's
                                     anchors.pem; required for build with token keys

            build   packs the bundles of this build (runtime-config/image/bundles.list says
                    which domain and zone each is in) and the default configuration into one
                    image: every bundle a signed JAR (jarsigner accepts it), the manifest signed
                    with CMS. Bundles already signed for their zone by a key chaining to the
                    anchors are kept as they are; the image is verified before it is written.
                    --unsigned leaves the manifest unsigned (no device accepts the image) for a
                    release step that signs it with 'image sign': the build needs code-signing
                    keys only.
                    SOURCES pack another image than the product one (the recovery image):
                      --bundle-list FILE  bundle list in the same format
                                          (default runtime-config/image/bundles.list)
                      --bundles DIR       the built bundle JARs to pick from; every JAR in DIR
                                          must be listed and every listed bundle must be there
                                          (default launcher/target/bundles)
                      --config DIR        configuration defaults: DIR/safety/*.cfg and
                                          DIR/app/*.cfg (default runtime-config/config)
                    The version names the image, e.g. --version 1.2.0-recovery.
            sign    signs the manifest of an existing IMAGE anew (or for the first time) with the
                    image signer: a pipeline's release step, with a key kept in a token. IMAGE is
                    first checked against its own manifest: canonical form, every listed file's
                    size and SHA-256, nothing unlisted, the SBOM, domains and zones; a signature
                    it already has must still match the manifest. With anchors every bundle's
                    signature, chain and role is checked too, and the signed image is verified
                    as a device trusting them would. Only the signature changes. A refused IMAGE
                    writes nothing (exit 1 and the reason); FILE appears whole or not at all, and
                    may be IMAGE itself.
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
            throw new UsageException("image: build, sign or verify?\n\n" + HELP);
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "build" -> build(rest);
            case "sign" -> sign(rest);
            case "verify" -> verify(rest);
            default -> throw new UsageException("image: unknown sub-command '" + argv.get(0) + "' (build, sign or verify)");
        };
    }

    private int build(List<String> argv) throws UsageException {
        Set<String> valued = new HashSet<>(ImageKeyOptions.valued(ImageKeyOptions.Use.BUILD, "version", "security-version", "board", "out"));
        valued.addAll(ImageSources.OPTIONS);
        Args a = Args.parse("image build", argv, valued, ImageKeyOptions.flags(ImageKeyOptions.Use.BUILD));
        a.noPositionals("image build");
        ImageKeyOptions keyOptions = ImageKeyOptions.parse("image build", a, ImageKeyOptions.Use.BUILD);
        String version = a.value("version").orElseThrow(() -> new UsageException("image build: --version V is required"));
        Path outFile = a.path("out").orElseThrow(() -> new UsageException("image build: --out FILE is required"));
        long securityVersion = a.nonNegativeLong("image build", "security-version", 0);
        String board = a.value("board").orElse("sim");
        Installation inst = Installation.locate();
        ImageSources sources = ImageSources.from(a, inst);
        try {
            ImageKeyOptions.Keys keys = keyOptions.load(inst.devPki());
            ImageBuilder b = keys.builder()
                    .compatible(BootVerifier.compatibleFor(board))
                    .version(version)
                    .securityVersion(securityVersion)
                    .workDir(outFile.toAbsolutePath().getParent());
            sources.addTo(b);
            BuiltImage built = b.build(outFile);
            out.printf("image %s %s (security version %d, %s): %d bundles, manifest sha256 %s%n", outFile,
                    built.manifest().version(), built.manifest().securityVersion(), built.manifest().compatible(),
                    built.manifest().bundles().size(), built.manifestSha256());
            out.println("bundles as listed in " + sources.bundleList() + ", configuration from "
                    + sources.configDirs().values().stream().map(Path::toString).collect(Collectors.joining(" and ")));
            out.println(keyOptions.unsigned() ? "bundles signed with " + keys.description() + "; manifest left unsigned for 'voltkeep image sign'"
                    : "signed with " + keys.description());
            return 0;
        } catch (IOException | GeneralSecurityException | ImageBuildException e) {
            err.println("voltkeep image build: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Signs an existing image's manifest with the image signer (a pipeline's release step),
     * after checking the image against its own manifest; a refused input writes nothing.
     */
    private int sign(List<String> argv) throws UsageException {
        Args a = Args.parse("image sign", argv, ImageKeyOptions.valued(ImageKeyOptions.Use.SIGN, "out"),
                ImageKeyOptions.flags(ImageKeyOptions.Use.SIGN));
        if (a.positionals().size() != 1) {
            throw new UsageException("image sign: give one IMAGE to sign" + (a.positionals().isEmpty() ? ""
                    : " (got " + a.positionals().size() + ": " + String.join(" ", a.positionals()) + ")"));
        }
        Path in = Path.of(a.positionals().get(0));
        Path outFile = a.path("out").orElseThrow(() -> new UsageException("image sign: --out FILE is required (it may be IMAGE itself)"));
        ImageKeyOptions keyOptions = ImageKeyOptions.parse("image sign", a, ImageKeyOptions.Use.SIGN);
        Path devPki = keyOptions.needsInstallation() ? Installation.locate().devPki() : null;
        try {
            ImageKeyOptions.Keys keys = keyOptions.load(devPki);
            ResignedImage r = new ImageResigner(keys.imageSigner().orElseThrow()).anchors(keys.anchors()).resign(in, outFile);
            out.printf("signed: %s version %s, security version %d, %s, %d bundles, manifest sha256 %s%n", outFile,
                    r.manifest().version(), r.manifest().securityVersion(), r.manifest().compatible(), r.manifest().bundles().size(),
                    r.manifestSha256());
            out.println("image signer " + r.signerSubject() + ", with " + keys.description());
            out.println(r.previousSigner().map(p -> "replaced the signature of " + p).orElse("the input was unsigned"));
            out.println(r.checkedAgainstAnchors()
                    ? "checked: every file's size and SHA-256, every bundle's signature, chain and role, and the signed image, against "
                            + keys.anchors().size() + " anchor(s)"
                    : "checked: every file's size and SHA-256 against the manifest (with --anchors also every bundle's signature"
                            + " and the signed image)");
            return 0;
        } catch (ImageRejected e) {
            err.println("voltkeep image sign: refused " + in + ": " + e.getMessage() + " (nothing written)");
            return 1;
        } catch (IOException | GeneralSecurityException | ImageBuildException e) {
            err.println("voltkeep image sign: " + e.getMessage() + " (nothing written)");
            return 1;
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
        try {
            VerifyPolicy policy = VerifyPolicy.of(anchors, compatible, floor).withTrustMode(mode);
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
        }
    }
}
