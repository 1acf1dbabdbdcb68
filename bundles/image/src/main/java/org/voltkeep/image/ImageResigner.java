package org.voltkeep.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.CertChecks;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.ImageFile;
import org.voltkeep.image.internal.ManifestSignature;
import org.voltkeep.image.internal.ZipWriter;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.spi.AtomicFiles;

/**
 * Signs the manifest of an existing image anew, or for the first time: the release step of
 * a pipeline whose build signed the bundles with code-signing keys and left the manifest
 * unsigned (or signed it with a key devices do not trust), and whose image signer lives in
 * a token. Nothing but the manifest's signature changes: the manifest's bytes, the bundles,
 * the configuration and the SBOM are carried over as they are.
 *
 * <p>Before signing, the input must be whole by its own manifest, checked as a device
 * would: the canonical ZIP form, the manifest present and valid, every listed file present
 * with its size and SHA-256, nothing unlisted, the SBOM, domains and zones. A signature the
 * input already has must still verify over the manifest's bytes (a manifest edited after
 * it was signed is refused); its signer is not judged, since it is being replaced. With
 * {@link #anchors anchors}, every bundle must also be a completely verified signed JAR of
 * its zone whose signer chains to them, and the signed image is verified as a device
 * trusting those anchors would before it is written. A refused input writes nothing; the
 * output is written as a new file, flushed, then renamed over {@code out}.
 *
 * <pre>
 * ResignedImage r = new ImageResigner(tokenImageSigner).anchors(anchors).resign(in, out);
 * </pre>
 */
public final class ImageResigner {
    private static final Set<PosixFilePermission> IMAGE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final SigningKey imageSigner;
    private List<X509Certificate> anchors = List.of();
    private Clock clock = Clock.systemUTC();
    private VerifyPolicy.Limits limits = VerifyPolicy.Limits.DEFAULT;

    /** @param imageSigner the key that signs the manifest: the image-signer role (or the developer role) */
    public ImageResigner(SigningKey imageSigner) {
        this.imageSigner = Objects.requireNonNull(imageSigner, "imageSigner");
    }

    /**
     * Trust anchors the finished image must verify against: the bundles' signers are checked
     * against them before signing, and the signed image after. Empty (the default) checks the
     * input's integrity only.
     */
    public ImageResigner anchors(List<X509Certificate> roots) {
        this.anchors = List.copyOf(roots);
        return this;
    }

    /** Time for the signing time and for certificate validity. */
    public ImageResigner clock(Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }


    /** Size caps for reading the input (a device's defaults unless set). */
    public ImageResigner limits(VerifyPolicy.Limits l) {
        this.limits = Objects.requireNonNull(l, "limits");
        return this;
    }

    /**
     * Checks {@code in}, signs its manifest and writes the result to {@code out} ({@code out}
     * may be {@code in}: the input is read completely first).
     *
     * @throws ImageRejected       the input is not whole by its own manifest (or, with anchors,
     *                             a bundle's signature is not good); nothing is written
     * @throws ImageBuildException the key cannot sign images or signing failed, or with anchors
     *                             the signed image would be rejected; nothing is written
     * @throws IOException         the output could not be written; {@code out} is as it was
     */
    public ResignedImage resign(Path in, Path out) throws ImageRejected, ImageBuildException, IOException {
        SignerRole role = requireImageSignerRole(imageSigner);
        // A developer key makes development-trust images; check them as such a device would.
        TrustMode mode = role == SignerRole.DEVELOPER ? TrustMode.DEVELOPMENT : TrustMode.FIELD;
        byte[] input = ImageFile.read(in, limits.maxImageBytes());
        Input checked = check(input, mode);

        byte[] p7s;
        try {
            p7s = ManifestSignature.sign(checked.manifestBytes(), imageSigner, clock.instant());
        } catch (GeneralSecurityException e) {
            throw new ImageBuildException("cannot sign the manifest with " + imageSigner.describe() + ": " + e.getMessage(), e);
        }
        try {
            ManifestSignature.verify(checked.manifestBytes(), p7s);
        } catch (ImageRejected r) {
            throw new ImageBuildException("the signature made with " + imageSigner.describe() + " does not verify with its certificate"
                    + " (is it the certificate of this key?): " + r.getMessage(), r);
        }
        ZipWriter zip = new ZipWriter()
                .add(ImageFormat.MANIFEST, checked.manifestBytes())
                .add(ImageFormat.SIGNATURE, p7s);
        for (ManifestFile f : checked.manifest().files()) {
            zip.add(f.path(), checked.contents().get(f.path()));
        }
        byte[] image = zip.toByteArray();
        if (!anchors.isEmpty()) {
            try {
                ImageVerifier.verify(image, policy(checked.manifest().compatible(), mode));
            } catch (ImageRejected r) {
                throw new ImageBuildException("the signed image would be rejected by a device trusting the given anchors: "
                        + r.getMessage(), r);
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.write(out, image, IMAGE_MODE);
        return new ResignedImage(out, checked.manifest(), Hashes.sha256Hex(checked.manifestBytes()),
                CertChecks.subject(imageSigner.certificate()), checked.previousSigner(), !anchors.isEmpty());
    }

    /** What was read from an input that passed the checks. */
    private record Input(byte[] manifestBytes, ImageManifest manifest, Map<String, byte[]> contents, Optional<String> previousSigner) {
    }

    /** The checks on an input (see the class comment). */
    private Input check(byte[] image, TrustMode mode) throws ImageRejected {
        Map<String, byte[]> contents = ImageVerifier.readEntries(image, limits);
        byte[] manifestBytes = contents.get(ImageFormat.MANIFEST);
        if (manifestBytes == null) {
            throw new ImageRejected(Reason.MANIFEST_MISSING, ImageFormat.MANIFEST, "not in the image");
        }
        if (manifestBytes.length > ImageFormat.MAX_MANIFEST_BYTES) {
            throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.MANIFEST, manifestBytes.length + " bytes, more than the cap of "
                    + ImageFormat.MAX_MANIFEST_BYTES);
        }
        Optional<String> previous = Optional.empty();
        byte[] oldP7s = contents.get(ImageFormat.SIGNATURE);
        if (oldP7s != null) {
            if (oldP7s.length > ImageFormat.MAX_SIGNATURE_BYTES) {
                throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.SIGNATURE, oldP7s.length + " bytes, more than the cap of "
                        + ImageFormat.MAX_SIGNATURE_BYTES);
            }
            ManifestSignature.Verified old;
            try {
                old = ManifestSignature.verify(manifestBytes, oldP7s);
            } catch (ImageRejected r) {
                throw new ImageRejected(r.reason(), ImageFormat.SIGNATURE,
                        "the image's own signature does not verify over its manifest (edited after signing?): " + r.detail(), r);
            }
            previous = Optional.of(CertChecks.subject(old.signer()));
        }
        ImageManifest manifest;
        try {
            manifest = ImageManifest.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            throw new ImageRejected(Reason.MANIFEST_INVALID, ImageFormat.MANIFEST, e.getMessage(), e);
        }
        VerifyPolicy policy = anchors.isEmpty() ? null : policy(manifest.compatible(), mode);
        ImageVerifier.checkContents(manifest, contents, policy);
        return new Input(manifestBytes, manifest, contents, previous);
    }

    private VerifyPolicy policy(String compatible, TrustMode mode) {
        return new VerifyPolicy(anchors, compatible, 0, mode, limits, clock);
    }

    /** The key's certificate must let it sign images somewhere, or there is no point signing. */
    static SignerRole requireImageSignerRole(SigningKey key) throws ImageBuildException {
        try {
            return CertChecks.imageSignerRole(key.certificate(), TrustMode.DEVELOPMENT, ImageFormat.SIGNATURE);
        } catch (ImageRejected r) {
            throw new ImageBuildException(key.describe() + " cannot sign images: " + r.detail(), r);
        }
    }
}
