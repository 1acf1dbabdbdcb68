package org.voltkeep.attestation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.voltkeep.attestation.internal.ReportJson;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureAlgorithm;
import org.voltkeep.rot.api.SignatureVerifier;

/**
 * A report with its signature and the public key that made it, as one JSON object:
 *
 * <pre>
 * {"report": {...}, "signature": {"algorithm": "SHA256withECDSA", "value": "&lt;base64&gt;"},
 *  "publicKey": "&lt;base64 SubjectPublicKeyInfo&gt;"}
 * </pre>
 *
 * The signature covers {@link AttestationReport#canonicalBytes()}, so the envelope
 * may be indented or reordered in transit. The embedded key says which key signed;
 * a verifier must still compare it with a key it trusts ({@link AttestationVerifier}).
 *
 * @param report    what was signed
 * @param algorithm how
 * @param signature the signature bytes (DER for ECDSA)
 * @param publicKey the key that signed
 */
public record SignedAttestation(AttestationReport report, SignatureAlgorithm algorithm, byte[] signature,
        PublicKey publicKey) {

    /** Reports are a few KiB; anything far larger is refused before parsing. */
    public static final int MAX_TEXT_CHARS = 1024 * 1024;

    public SignedAttestation {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(algorithm, "algorithm");
        signature = Objects.requireNonNull(signature, "signature").clone();
        Objects.requireNonNull(publicKey, "publicKey");
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Signs {@code report} with {@code signer}, then checks the signature with the
     * signer's public key, so that a signer whose key and public key do not belong
     * together fails here and not at the verifier.
     *
     * @throws IllegalArgumentException if the report names another device key than the signer's,
     *                                  or the signer's algorithm is not one Voltkeep verifies
     * @throws GeneralSecurityException if signing fails or yields a signature that does not verify
     */
    public static SignedAttestation sign(AttestationReport report, ReportSigner signer) throws GeneralSecurityException {
        String signerKey = Provisioning.fingerprint(signer.publicKey());
        if (!signerKey.equals(report.deviceKeySha256())) {
            throw new IllegalArgumentException("the report names device key " + report.deviceKeySha256()
                    + " but the signer's key is " + signerKey);
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.forJcaName(signer.algorithm())
                .orElseThrow(() -> new IllegalArgumentException("signature algorithm " + signer.algorithm()
                        + " is not one Voltkeep verifies"));
        PublicKey publicKey;
        try {
            // a plain JDK key from its encoding: a token's public key object stays behind
            publicKey = SignatureVerifier.publicKey(signer.publicKey().getEncoded());
        } catch (RotException e) {
            throw new IllegalArgumentException("the signer's public key cannot be used: " + e.getMessage(), e);
        }
        byte[] data = report.canonicalBytes();
        byte[] signature = signer.sign(data);
        try {
            SignatureVerifier.verify(algorithm, publicKey, data, signature);
        } catch (RotException e) {
            throw new SignatureException("the signer's own public key does not verify its signature of the report: "
                    + e.getMessage(), e);
        }
        return new SignedAttestation(report, algorithm, signature, publicKey);
    }

    public Json.Obj toJson() {
        return Json.object()
                .put("report", report.toJson())
                .put("signature", Json.object()
                        .put("algorithm", algorithm.jcaName())
                        .put("value", Base64.getEncoder().encodeToString(signature)))
                .put("publicKey", Base64.getEncoder().encodeToString(publicKey.getEncoded()));
    }

    /** Indented JSON, for printing; verifies the same as the compact form. */
    public String toText() {
        return toJson().writePretty();
    }

    /**
     * Reads a signed report without judging its signature (that is
     * {@link AttestationVerifier}'s job): every field present and in range.
     */
    public static SignedAttestation parse(String text) throws AttestationFormatException {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new AttestationFormatException("signed report has " + text.length() + " characters; at most "
                    + MAX_TEXT_CHARS + " are read");
        }
        try {
            Json.Obj o = Json.parseObject(text).onlyKeys("report", "signature", "publicKey");
            Json.Obj sig = o.obj("signature").onlyKeys("algorithm", "value");
            AttestationReport report = ReportJson.read(o.obj("report"));
            String algorithmName = sig.string("algorithm");
            SignatureAlgorithm algorithm = SignatureAlgorithm.forJcaName(algorithmName)
                    .orElseThrow(() -> new UnsupportedAlgorithm(sig.path("algorithm") + ": '" + algorithmName
                            + "' is not a supported signature algorithm"));
            byte[] value = base64(sig.string("value"), sig.path("value"));
            byte[] spki = base64(o.string("publicKey"), o.path("publicKey"));
            PublicKey key;
            try {
                key = SignatureVerifier.publicKey(spki);
            } catch (RotException e) {
                throw new AttestationFormatException(o.path("publicKey") + ": " + e.getMessage(), e);
            }
            return new SignedAttestation(report, algorithm, value, key);
        } catch (JsonException e) {
            throw new AttestationFormatException(e.getMessage(), e);
        }
    }

    private static byte[] base64(String text, String path) throws AttestationFormatException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new AttestationFormatException(path + ": not base64: " + e.getMessage(), e);
        }
    }

    /** The signature names an algorithm Voltkeep does not verify; well-formed otherwise. */
    static final class UnsupportedAlgorithm extends AttestationFormatException {
        private static final long serialVersionUID = 1L;

        UnsupportedAlgorithm(String message) {
            super(message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedAttestation s && report.equals(s.report) && algorithm == s.algorithm
                && Arrays.equals(signature, s.signature) && publicKey.equals(s.publicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(report, algorithm, Arrays.hashCode(signature), publicKey);
    }

    @Override
    public String toString() {
        return "SignedAttestation[" + new String(report.canonicalBytes(), StandardCharsets.UTF_8) + ", " + algorithm.jcaName() + "]";
    }
}
