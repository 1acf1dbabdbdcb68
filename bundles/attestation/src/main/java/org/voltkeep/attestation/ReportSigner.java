package org.voltkeep.attestation;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;

import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;

/**
 * Signs reports with the device key, wherever that key lives. The private key
 * never has to be handed over: a PKCS#11 key signs inside its token, a
 * {@link RootOfTrust} inside its backend.
 */
public interface ReportSigner {

    /** The JCA name of the signature algorithm, e.g. {@code SHA256withECDSA}. */
    String algorithm();

    /** Signs {@code data}; DER for ECDSA. */
    byte[] sign(byte[] data) throws GeneralSecurityException;

    /** The public half of the signing key; it is embedded in the signed report. */
    PublicKey publicKey();

    /**
     * Signs with a {@code java.security} key (a soft key, or a SunPKCS11 token key:
     * JCA picks the token's provider for it). The algorithm follows the public key:
     * {@code SHA256withECDSA} for EC, {@code Ed25519}, {@code SHA256withRSA} for RSA.
     */
    static ReportSigner ofKey(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("no report signature algorithm for a "
                    + publicKey.getAlgorithm() + " key (EC, Ed25519 or RSA expected)");
        };
        return ofKey(privateKey, publicKey, algorithm);
    }

    /** Signs with a {@code java.security} key and the named JCA algorithm, from any registered provider that takes the key. */
    static ReportSigner ofKey(PrivateKey privateKey, PublicKey publicKey, String algorithm) {
        return ofKey(privateKey, publicKey, algorithm, null);
    }

    /**
     * Signs with a key of a given provider, e.g. a SunPKCS11 instance that was
     * configured but not registered globally (registering would change every
     * other user's provider lookup).
     *
     * @param provider the provider, or {@code null} for JCA's choice
     */
    static ReportSigner ofKey(PrivateKey privateKey, PublicKey publicKey, String algorithm, Provider provider) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(algorithm, "algorithm");
        return new ReportSigner() {
            @Override
            public String algorithm() {
                return algorithm;
            }

            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException {
                Signature s = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
                s.initSign(privateKey);
                s.update(data);
                return s.sign();
            }

            @Override
            public PublicKey publicKey() {
                return publicKey;
            }
        };
    }

    /** Signs with the device key of an opened root of trust, inside its backend. */
    static ReportSigner of(RootOfTrust rootOfTrust) {
        Objects.requireNonNull(rootOfTrust, "rootOfTrust");
        return new ReportSigner() {
            @Override
            public String algorithm() {
                return rootOfTrust.deviceSignatureAlgorithm().jcaName();
            }

            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException {
                try {
                    return rootOfTrust.sign(data);
                } catch (RotException e) {
                    throw new SignatureException("the root of trust (" + rootOfTrust.backend().kind().id()
                            + ") could not sign the report: " + e.getMessage(), e);
                }
            }

            @Override
            public PublicKey publicKey() {
                return rootOfTrust.devicePublicKey();
            }
        };
    }
}
