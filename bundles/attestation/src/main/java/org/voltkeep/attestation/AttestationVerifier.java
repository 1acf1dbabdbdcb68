package org.voltkeep.attestation;

import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;

import org.voltkeep.attestation.AttestationVerdict.Outcome;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureVerifier;

/**
 * Checks a signed report against a key the relying party trusts (the device's
 * public key, or its certificate). Checks run in this order and the first failure
 * is the verdict: readable, supported algorithm, usable certificate, embedded key =
 * trusted key, signature over the canonical report, report names that key, nonce.
 * So a report with any field changed fails as {@link Outcome#SIGNATURE_MISMATCH}.
 *
 * <p>Signatures are checked by the root of trust's strict verifier
 * ({@link SignatureVerifier}), the same code that checks images. Whether the device
 * certificate itself chains to a CA the caller trusts is the caller's business.
 */
public final class AttestationVerifier {
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;

    private AttestationVerifier() {
    }

    /**
     * @param text          the signed report as {@link SignedAttestation#toJson()} wrote it (any indentation)
     * @param trustedKey    the device public key the caller trusts
     * @param expectedNonce the nonce the caller sent, if it sent one
     */
    public static AttestationVerdict verify(String text, PublicKey trustedKey, Optional<Nonce> expectedNonce) {
        Objects.requireNonNull(trustedKey, "trustedKey");
        Objects.requireNonNull(expectedNonce, "expectedNonce");
        SignedAttestation signed;
        try {
            signed = SignedAttestation.parse(text);
        } catch (SignedAttestation.UnsupportedAlgorithm e) {
            return AttestationVerdict.refused(Outcome.UNSUPPORTED_ALGORITHM, e.getMessage());
        } catch (AttestationFormatException e) {
            return AttestationVerdict.refused(Outcome.MALFORMED, "not a readable signed report: " + e.getMessage());
        }
        return verify(signed, trustedKey, expectedNonce);
    }

    /**
     * As {@link #verify(String, PublicKey, Optional)}, with the device certificate:
     * it must allow digital signatures and must have been valid when the report says
     * it was made.
     */
    public static AttestationVerdict verify(String text, X509Certificate deviceCertificate, Optional<Nonce> expectedNonce) {
        Objects.requireNonNull(deviceCertificate, "deviceCertificate");
        String subject = deviceCertificate.getSubjectX500Principal().getName();
        boolean[] usage = deviceCertificate.getKeyUsage();
        if (usage != null && (usage.length <= KEY_USAGE_DIGITAL_SIGNATURE || !usage[KEY_USAGE_DIGITAL_SIGNATURE])) {
            return AttestationVerdict.refused(Outcome.CERTIFICATE_UNUSABLE, "certificate '" + subject
                    + "' does not allow digital signatures (key usage " + Arrays.toString(usage) + ")");
        }
        AttestationVerdict verdict = verify(text, deviceCertificate.getPublicKey(), expectedNonce);
        if (!verdict.ok()) {
            return verdict;
        }
        AttestationReport report = verdict.report().orElseThrow();
        try {
            deviceCertificate.checkValidity(Date.from(report.created()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return AttestationVerdict.refused(Outcome.CERTIFICATE_UNUSABLE, "certificate '" + subject
                    + "' was not valid when the report was made (" + report.created() + "): valid "
                    + deviceCertificate.getNotBefore().toInstant() + " to " + deviceCertificate.getNotAfter().toInstant());
        }
        return verdict;
    }

    /** Checks an already parsed report. */
    public static AttestationVerdict verify(SignedAttestation signed, PublicKey trustedKey, Optional<Nonce> expectedNonce) {
        Objects.requireNonNull(signed, "signed");
        Objects.requireNonNull(trustedKey, "trustedKey");
        Objects.requireNonNull(expectedNonce, "expectedNonce");
        String trusted = Provisioning.fingerprint(trustedKey);
        String embedded = Provisioning.fingerprint(signed.publicKey());
        if (!trusted.equals(embedded)) {
            return AttestationVerdict.refused(Outcome.KEY_MISMATCH, "the report carries public key " + embedded
                    + ", not the trusted key " + trusted);
        }
        AttestationReport report = signed.report();
        try {
            SignatureVerifier.verify(signed.algorithm(), trustedKey, report.canonicalBytes(), signed.signature());
        } catch (RotException e) {
            return AttestationVerdict.refused(Outcome.SIGNATURE_MISMATCH, "the signature does not match the report"
                    + " (changed after signing, or signed by another key): " + e.getMessage());
        }
        if (!report.deviceKeySha256().equals(trusted)) {
            return AttestationVerdict.refused(Outcome.KEY_MISMATCH, "the report names device key "
                    + report.deviceKeySha256() + " but was signed by key " + trusted);
        }
        if (expectedNonce.isPresent() && !expectedNonce.equals(report.nonce())) {
            return AttestationVerdict.refused(Outcome.NONCE_MISMATCH, "expected nonce " + expectedNonce.get().hex()
                    + ", the report carries " + report.nonce().map(Nonce::hex).orElse("none")
                    + ": it answers another challenge (a replay?)");
        }
        return AttestationVerdict.valid(report);
    }
}
