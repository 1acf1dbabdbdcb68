package org.voltkeep.rot.api;

import java.util.Optional;

/**
 * The signature schemes {@link SignatureVerifier} accepts. Everything Voltkeep signs
 * itself uses {@link #ECDSA_P256_SHA256}; the others exist for certificates and
 * signatures made by other parties' tools (and are exercised by the Wycheproof vectors).
 */
public enum SignatureAlgorithm {
    /** ECDSA over P-256 with SHA-256, signature as a strict DER {@code SEQUENCE { r, s }}. */
    ECDSA_P256_SHA256("SHA256withECDSA", "1.2.840.10045.4.3.2"),
    /** ECDSA over P-256 with SHA-256, signature as raw {@code r || s} (IEEE P1363, 64 bytes). */
    ECDSA_P256_SHA256_P1363("SHA256withECDSAinP1363Format", null),
    /** Ed25519 (RFC 8032), 64-byte signatures. */
    ED25519("Ed25519", "1.3.101.112"),
    /** RSA PKCS#1 v1.5 with SHA-256, modulus of at least 2048 bits. */
    RSA_PKCS1_SHA256("SHA256withRSA", "1.2.840.113549.1.1.11"),
    /** RSASSA-PSS with SHA-256, MGF1(SHA-256), salt length 32, trailer field 1; modulus at least 2048 bits. */
    RSA_PSS_SHA256("RSASSA-PSS", "1.2.840.113549.1.1.10");

    private final String jcaName;
    private final String oid;

    SignatureAlgorithm(String jcaName, String oid) {
        this.jcaName = jcaName;
        this.oid = oid;
    }

    /** The JCA standard name ({@code SHA256withECDSA}, ...). */
    public String jcaName() {
        return jcaName;
    }

    /** The X.509 signature algorithm OID, empty for the P1363 form (which certificates do not use). */
    public Optional<String> oid() {
        return Optional.ofNullable(oid);
    }

    /** The algorithm with this JCA name (case-insensitive), if supported. */
    public static Optional<SignatureAlgorithm> forJcaName(String name) {
        for (SignatureAlgorithm a : values()) {
            if (a.jcaName.equalsIgnoreCase(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
