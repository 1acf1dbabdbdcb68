package org.voltkeep.image;

import java.util.Optional;

/**
 * An image failed verification. {@link #reason()} says which check failed,
 * {@link #entry()} which entry of the image (and, inside a bundle, which entry of the
 * JAR: {@code bundles/app/x.jar!/org/x/Y.class}), and the message says what exactly.
 */
public final class ImageRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Why an image was rejected, in the order the checks run (see the module README).
     * Every reason but {@link #IO_ERROR} is a property of the file itself.
     */
    public enum Reason {
        /** The file could not be read. */
        IO_ERROR(false),
        /** The image, an entry or the number of entries is beyond the policy's caps (zip-bomb guard). */
        SIZE_LIMIT(false),
        /** Not a sane ZIP file: headers, offsets, sizes, CRC, compression or layout are wrong. */
        ZIP_MALFORMED(false),
        /** An entry name with path traversal, an absolute path, a backslash, NUL or a name the format does not allow. */
        ENTRY_NAME(false),
        /** The same entry name twice. */
        DUPLICATE_ENTRY(false),
        /** No {@code manifest.json}. */
        MANIFEST_MISSING(false),
        /** No {@code manifest.json.p7s}. */
        SIGNATURE_MISSING(true),
        /** The CMS signature over the manifest is malformed or does not verify. */
        SIGNATURE_INVALID(true),
        /** A signer's certificate chain does not lead to a trust anchor (or is otherwise invalid). */
        CERT_UNTRUSTED(true),
        /** A certificate of a signer's chain has expired at verification time. */
        CERT_EXPIRED(true),
        /** A certificate of a signer's chain is not yet valid at verification time. */
        CERT_NOT_YET_VALID(true),
        /** The signer's role does not allow what it signed (image, or the bundle's zone). */
        CERT_WRONG_ROLE(true),
        /** The signer's certificate lacks key usage digitalSignature or extended key usage codeSigning. */
        CERT_KEY_USAGE(true),
        /** Signed with the developer role on a device in field trust mode. */
        DEVELOPMENT_SIGNER(true),
        /** The manifest does not parse or breaks the schema (unknown keys, bad values). */
        MANIFEST_INVALID(false),
        /** Built for other hardware than this device. */
        INCOMPATIBLE(false),
        /** Security version below the device's anti-rollback floor. */
        ROLLBACK(false),
        /** A file the manifest lists is not in the image. */
        ENTRY_MISSING(false),
        /** A file in the image is not listed in the manifest. */
        ENTRY_NOT_LISTED(false),
        /** A file's size differs from the manifest. */
        SIZE_MISMATCH(false),
        /** A file's SHA-256 differs from the manifest. */
        HASH_MISMATCH(false),
        /** The SBOM is not CycloneDX 1.5 JSON listing every bundle with its SHA-256. */
        SBOM_INVALID(false),
        /** A bundle's domain and zone do not fit (the safety domain runs the safety zone only, and only there). */
        ZONE_DOMAIN_MISMATCH(false),
        /** A bundle is not a sane JAR (ZIP structure, no manifest, unreadable entry). */
        BUNDLE_MALFORMED(false),
        /** A bundle entry (or the whole bundle) is not signed, or it has unsigned extras in META-INF. */
        BUNDLE_UNSIGNED(true),
        /** A bundle's signature file or signature block does not verify. */
        BUNDLE_SIGNATURE_INVALID(true),
        /** A bundle entry does not match the digest its signature covers. */
        BUNDLE_TAMPERED(true),
        /** A bundle's entries are not all signed by one common signer. */
        BUNDLE_SIGNERS_DIFFER(true),
        /** A bundle's Bundle-SymbolicName or Bundle-Version differs from the manifest. */
        BUNDLE_IDENTITY(false);

        private final boolean signatureProblem;

        Reason(boolean signatureProblem) {
            this.signatureProblem = signatureProblem;
        }

        /**
         * Whether this is about a signature or a signer's certificate (OCPP reports those as
         * InvalidFirmwareSignature / InvalidFirmwareSigningCertificate), rather than about
         * the file's form or content.
         */
        public boolean signatureProblem() {
            return signatureProblem;
        }

        /** Whether this is about a signer's certificate rather than a signature value. */
        public boolean certificateProblem() {
            return this == CERT_UNTRUSTED || this == CERT_EXPIRED || this == CERT_NOT_YET_VALID
                    || this == CERT_WRONG_ROLE || this == CERT_KEY_USAGE || this == DEVELOPMENT_SIGNER;
        }
    }

    private final Reason reason;
    private final String entry;
    private final String detail;

    /**
     * @param reason which check failed
     * @param entry  the entry concerned, or null when the image as a whole is
     * @param detail what exactly was wrong
     */
    public ImageRejected(Reason reason, String entry, String detail) {
        this(reason, entry, detail, null);
    }

    public ImageRejected(Reason reason, String entry, String detail, Throwable cause) {
        super(reason + ": " + (entry == null ? "" : entry + ": ") + detail, cause);
        this.reason = reason;
        this.entry = entry;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The entry concerned ({@code bundles/app/x.jar}, or {@code bundles/app/x.jar!/org/x/Y.class}), if any. */
    public Optional<String> entry() {
        return Optional.ofNullable(entry);
    }

    /** What was wrong, without the reason and entry prefix. */
    public String detail() {
        return detail;
    }
}
