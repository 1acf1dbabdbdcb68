package org.voltkeep.rot.api.spi;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.voltkeep.rot.api.Pem;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;

/**
 * Certificates and requests for the device key, built with a signer that uses the key
 * where it lives (a token key through its provider): the private key is never read.
 */
public final class DeviceKeyCertificates {

    /** The signature algorithm of the device key. */
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    /** How long the placeholder certificate is valid: long, since it only stands in until a real one is installed. */
    public static final Duration PLACEHOLDER_VALIDITY = Duration.ofDays(20 * 365);
    /** Prefix of the placeholder's common name; a device certificate never carries it. */
    public static final String PLACEHOLDER_CN_PREFIX = "voltkeep-placeholder-";

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private DeviceKeyCertificates() {
    }

    /**
     * A self-signed placeholder certificate for the device key, so key stores that need a
     * certificate per key entry can hold the key until a real device certificate exists.
     *
     * @param provider the provider that can sign with {@code privateKey}; null for the JDK default
     */
    public static X509Certificate placeholder(PublicKey publicKey, PrivateKey privateKey, Provider provider, Instant now) throws RotException {
        X500Principal subject = new X500Principal("CN=" + PLACEHOLDER_CN_PREFIX
                + Provisioning.fingerprint(publicKey).substring(0, Provisioning.SUBJECT_FINGERPRINT_CHARS));
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(PLACEHOLDER_VALIDITY)), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(privateKey, provider)));
        } catch (IOException | GeneralSecurityException e) {
            throw new RotException("cannot build the placeholder certificate for the device key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code cert} is a placeholder made by {@link #placeholder}. */
    public static boolean isPlaceholder(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && cert.getSubjectX500Principal().getName().startsWith("CN=" + PLACEHOLDER_CN_PREFIX);
    }

    /**
     * A PKCS#10 request, PEM, for the device key with {@code subject}. It asks for key
     * usage digitalSignature and extended key usage clientAuth (mutual TLS); the CA decides.
     */
    public static String csrPem(PublicKey publicKey, PrivateKey privateKey, Provider provider, X500Principal subject) throws RotException {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            extensions.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer(privateKey, provider));
            return Pem.encode("CERTIFICATE REQUEST", request.getEncoded());
        } catch (IOException e) {
            throw new RotException("cannot build a certificate signing request for '" + subject.getName() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a device certificate chain that does not fit the device key: empty, leaf
     * key not the device key, or a link whose issuer does not sign the certificate below it.
     */
    public static void requireChainFor(List<X509Certificate> chain, PublicKey deviceKey) throws RotException {
        if (chain.isEmpty()) {
            throw new RotException("device certificate chain is empty");
        }
        X509Certificate leaf = chain.get(0);
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), deviceKey.getEncoded())) {
            throw new RotException("device certificate '" + leaf.getSubjectX500Principal().getName()
                    + "' is for key " + Provisioning.fingerprint(leaf.getPublicKey()) + ", not the device key " + Provisioning.fingerprint(deviceKey));
        }
        if (isPlaceholder(leaf)) {
            throw new RotException("device certificate '" + leaf.getSubjectX500Principal().getName() + "' is a placeholder, not an issued certificate");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            try {
                cert.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new RotException("device certificate chain: '" + cert.getSubjectX500Principal().getName()
                        + "' is not signed by the next certificate '" + issuer.getSubjectX500Principal().getName() + "'", e);
            }
        }
    }

    private static ContentSigner signer(PrivateKey privateKey, Provider provider) throws RotException {
        try {
            JcaContentSignerBuilder builder = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM);
            if (provider != null) {
                builder.setProvider(provider);
            }
            return builder.build(privateKey);
        } catch (OperatorCreationException e) {
            throw new RotException("cannot sign with the device key: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return new BigInteger(1, bytes);
    }
}
