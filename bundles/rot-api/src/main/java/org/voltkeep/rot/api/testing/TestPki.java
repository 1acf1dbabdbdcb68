package org.voltkeep.rot.api.testing;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.voltkeep.rot.api.Pem;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureVerifier;
import org.voltkeep.rot.api.SignerRole;

/**
 * A throw-away PKI for tests: an EC P-256 root CA that issues intermediates, signer
 * certificates with Voltkeep roles, TLS certificates and device certificates from a CSR.
 * Validity is taken from the clock it was made with, so tests can make expired and
 * not-yet-valid certificates without sleeping.
 */
public final class TestPki {

    /** A key pair with its certificate and the chain up to (not including) the root. */
    public record Issued(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
        public Issued {
            chain = List.copyOf(chain);
        }

        public PublicKey publicKey() {
            return certificate.getPublicKey();
        }
    }

    private final Clock clock;
    private final Issued root;

    private TestPki(Clock clock, Issued root) {
        this.clock = clock;
        this.root = root;
    }

    /** A new root CA named {@code CN=<name>}, valid from an hour before {@code clock.instant()} for ten years. */
    public static TestPki create(String name, Clock clock) {
        KeyPair keys = newEcKeyPair();
        X500Principal subject = new X500Principal("CN=" + name);
        Instant now = clock.instant();
        X509Certificate cert = build(subject, keys.getPublic(), subject, keys.getPrivate(), keys.getPublic(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), KeyUsage.keyCertSign | KeyUsage.cRLSign, true, List.of());
        return new TestPki(clock, new Issued(keys.getPrivate(), cert, List.of(cert)));
    }

    /** A new root CA named {@code CN=Voltkeep Test Root} on the system UTC clock. */
    public static TestPki create() {
        return create("Voltkeep Test Root", Clock.systemUTC());
    }

    public Issued root() {
        return root;
    }

    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    /** The root certificate, PEM: what an anchors file holds. */
    public String rootPem() {
        return pem(root.certificate());
    }

    /** Starts a certificate for {@code CN=<commonName>} issued by the root. */
    public Builder leaf(String commonName) {
        return new Builder(commonName, root);
    }

    /** A code-signing certificate with the given roles: key usage digitalSignature, EKU codeSigning + role OIDs. */
    public Issued signer(String commonName, SignerRole... roles) {
        return leaf(commonName).roles(roles).codeSigning(true).issue();
    }

    /** An intermediate CA under the root; issue below it with {@link #leafUnder}. */
    public Issued intermediate(String commonName) {
        return leaf(commonName).ca(true).issue();
    }

    /** Starts a certificate issued by {@code issuer} (an intermediate made by {@link #intermediate}). */
    public Builder leafUnder(Issued issuer, String commonName) {
        return new Builder(commonName, issuer);
    }

    /**
     * A device certificate for a PKCS#10 request (PEM): the request's subject and key, key
     * usage digitalSignature, extended key usage clientAuth; the request's own signature is checked.
     */
    public X509Certificate issueFromCsr(String csrPem, Duration validity) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            Object parsed = parser.readObject();
            if (!(parsed instanceof PKCS10CertificationRequest request)) {
                throw new IllegalArgumentException("not a PEM certificate request: " + parsed);
            }
            PublicKey key = SignatureVerifier.publicKey(request.getSubjectPublicKeyInfo().getEncoded());
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new IllegalArgumentException("certificate request signature does not verify");
            }
            X500Principal subject = new X500Principal(request.getSubject().getEncoded());
            Instant now = clock.instant();
            return build(subject, key, root.certificate().getSubjectX500Principal(), root.privateKey(), root.publicKey(),
                    now.minus(Duration.ofMinutes(5)), now.plus(validity), KeyUsage.digitalSignature, false,
                    List.of(KeyPurposeId.id_kp_clientAuth));
        } catch (IOException | OperatorCreationException | PKCSException | RotException e) {
            throw new IllegalStateException("cannot issue from the request: " + e.getMessage(), e);
        }
    }

    /** PEM of one certificate. */
    public static String pem(X509Certificate cert) {
        try {
            return Pem.encode("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make P-256 keys", e);
        }
    }

    /** What a certificate should carry; defaults: a fresh P-256 key, key usage digitalSignature, valid ±1 year. */
    public final class Builder {
        private final String commonName;
        private final Issued issuer;
        private PublicKey publicKey;
        private PrivateKey privateKey;
        private Instant notBefore;
        private Instant notAfter;
        private int keyUsage = KeyUsage.digitalSignature;
        private boolean ca;
        private final List<KeyPurposeId> purposes = new ArrayList<>();
        private final List<String> extraOids = new ArrayList<>();
        private boolean codeSigning;

        private Builder(String commonName, Issued issuer) {
            this.commonName = Objects.requireNonNull(commonName);
            this.issuer = issuer;
            Instant now = clock.instant();
            this.notBefore = now.minus(Duration.ofDays(1));
            this.notAfter = now.plus(Duration.ofDays(365));
        }

        /** Certifies this public key (no private key is returned then). */
        public Builder publicKey(PublicKey key) {
            this.publicKey = key;
            return this;
        }

        public Builder roles(SignerRole... roles) {
            for (SignerRole r : roles) {
                extraOids.add(r.oid());
            }
            return this;
        }

        /** Adds an arbitrary extended key usage OID (for tests of unknown roles). */
        public Builder extendedKeyUsage(String oid) {
            extraOids.add(oid);
            return this;
        }

        public Builder codeSigning(boolean codeSigning) {
            this.codeSigning = codeSigning;
            return this;
        }

        /** Adds TLS purposes (clientAuth and serverAuth). */
        public Builder tls() {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
            purposes.add(KeyPurposeId.id_kp_serverAuth);
            return this;
        }

        /** Key usage bits as Bouncy Castle's {@link KeyUsage} constants; 0 leaves the extension out. */
        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        public Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        public Builder ca(boolean ca) {
            this.ca = ca;
            if (ca) {
                keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            }
            return this;
        }

        public Issued issue() {
            if (publicKey == null) {
                KeyPair keys = newEcKeyPair();
                publicKey = keys.getPublic();
                privateKey = keys.getPrivate();
            }
            List<KeyPurposeId> all = new ArrayList<>(purposes);
            if (codeSigning) {
                all.add(KeyPurposeId.id_kp_codeSigning);
            }
            for (String oid : extraOids) {
                all.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)));
            }
            X509Certificate cert = build(new X500Principal("CN=" + commonName), publicKey,
                    issuer.certificate().getSubjectX500Principal(), issuer.privateKey(), issuer.publicKey(),
                    notBefore, notAfter, keyUsage, ca, all);
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (issuer != root) {
                chain.addAll(issuer.chain());
            }
            return new Issued(privateKey, cert, chain);
        }
    }

    private static X509Certificate build(X500Principal subject, PublicKey subjectKey, X500Principal issuer, PrivateKey issuerKey,
                                         PublicKey issuerPublicKey, Instant notBefore, Instant notAfter, int keyUsage, boolean ca,
                                         List<KeyPurposeId> purposes) {
        try {
            byte[] serial = new byte[12];
            new SecureRandom().nextBytes(serial);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(1, serial),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (keyUsage != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerPublicKey));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build certificate '" + subject.getName() + "': " + e.getMessage(), e);
        }
    }
}
