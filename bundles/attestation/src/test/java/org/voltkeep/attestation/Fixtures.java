package org.voltkeep.attestation;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.TrustMode;

/** Keys, reports and certificates made at run time for the tests. */
final class Fixtures {
    static final Instant CREATED = Instant.parse("2026-11-22T08:15:30.250Z");
    static final Nonce NONCE = Nonce.of("00112233445566778899aabbccddeeff");

    private Fixtures() {
    }

    static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    static AttestationReport.Builder report(PublicKey deviceKey) {
        return AttestationReport.builder()
                .deviceKey(deviceKey)
                .slot("a")
                .imageVersion("1.4.0-dev+42")
                .securityVersion(3)
                .manifestSha256(sha('1'))
                .bundle("org.voltkeep.safety", sha('2'))
                .bundle("org.voltkeep.hal.sim", sha('3'))
                .bundle("org.apache.felix.scr", sha('4'))
                .bootCounter(7)
                .rot(new BackendInfo(BackendKind.SOFT, "soft key store (development only, not a hardware root of trust)"))
                .trustMode(TrustMode.DEVELOPMENT)
                .nonce(NONCE)
                .created(CREATED);
    }

    static X509Certificate certificate(PublicKey subjectKey, PrivateKey issuerKey, Instant notBefore, Instant notAfter,
            int keyUsage) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=Voltkeep test CA"),
                BigInteger.valueOf(notBefore.toEpochMilli()), Date.from(notBefore), Date.from(notAfter),
                new X500Name("CN=voltkeep-test-device"), subjectKey);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
