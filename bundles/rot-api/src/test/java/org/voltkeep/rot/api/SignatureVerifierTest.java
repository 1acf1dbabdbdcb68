package org.voltkeep.rot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.voltkeep.rot.api.testing.TestPki;

/** Strictness beyond the vectors: encodings JCA would let through, keys of the wrong kind. */
class SignatureVerifierTest {

    private static final byte[] MESSAGE = "voltkeep manifest".getBytes(StandardCharsets.UTF_8);
    private static final BigInteger N = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private KeyPair keys;
    private byte[] der;

    @BeforeEach
    void sign() throws Exception {
        keys = TestPki.newEcKeyPair();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(MESSAGE);
        der = s.sign();
    }

    /** Repeated with fresh keys: r and s vary between 31 and 33 encoded bytes. */
    @RepeatedTest(16)
    void aFreshSignatureVerifiesInBothForms() throws Exception {
        assertThat(SignatureVerifier.isValid(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, der)).isTrue();
        assertThat(SignatureVerifier.isValid(SignatureAlgorithm.ECDSA_P256_SHA256_P1363, keys.getPublic(), MESSAGE, toP1363(der))).isTrue();
        SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, der);
    }

    /** Repeated with fresh keys: r and s vary between 31 and 33 encoded bytes. */
    @RepeatedTest(16)
    void aLongFormLengthIsRefusedThoughItEncodesTheSameSignature() {
        // 30 81 LL ... : BER allows it, DER does not.
        byte[] ber = new byte[der.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        ber[2] = der[1];
        System.arraycopy(der, 2, ber, 3, der.length - 2);

        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, ber))
                .isInstanceOf(RotException.class).hasMessageContaining("long-form");
    }

    /** Repeated with fresh keys: r and s vary between 31 and 33 encoded bytes. */
    @RepeatedTest(16)
    void trailingBytesAndPaddedIntegersAreRefused() {
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        assertThat(SignatureVerifier.isValid(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, trailing)).isFalse();

        BigInteger[] rs = rs(der);
        byte[] r = rs[0].toByteArray();
        byte[] s = rs[1].toByteArray();
        byte[] padded = derOf(concat(new byte[] {0}, r), s);
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, padded))
                .isInstanceOf(RotException.class).hasMessageContaining("superfluous leading zero");
    }

    /** Repeated with fresh keys: r and s vary between 31 and 33 encoded bytes. */
    @RepeatedTest(16)
    void valuesOutsideTheGroupOrderAreRefusedEvenWhenTheyReduceToAValidSignature() {
        BigInteger[] rs = rs(der);
        byte[] rPlusN = derOf(rs[0].add(N).toByteArray(), rs[1].toByteArray());
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, rPlusN))
                .isInstanceOf(RotException.class);
        byte[] zero = derOf(new byte[] {0}, rs[1].toByteArray());
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, keys.getPublic(), MESSAGE, zero))
                .isInstanceOf(RotException.class).hasMessageContaining("r is outside");
    }

    @Test
    void keysOfTheWrongKindOrSizeAreRefused() throws Exception {
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ECDSA_P256_SHA256, p384.generateKeyPair().getPublic(), MESSAGE, der))
                .isInstanceOf(RotException.class).hasMessageContaining("not on curve P-256");

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair small = rsa.generateKeyPair();
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(small.getPrivate());
        s.update(MESSAGE);
        byte[] signature = s.sign();
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, small.getPublic(), MESSAGE, signature))
                .isInstanceOf(RotException.class).hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> SignatureVerifier.verify(SignatureAlgorithm.ED25519, keys.getPublic(), MESSAGE, new byte[64]))
                .isInstanceOf(RotException.class).hasMessageContaining("not Ed25519");
    }

    @Test
    void publicKeysAreDecodedOnlyFromCanonicalSubjectPublicKeyInfo() throws Exception {
        assertThat(SignatureVerifier.publicKey(keys.getPublic().getEncoded())).isEqualTo(keys.getPublic());
        assertThatThrownBy(() -> SignatureVerifier.publicKey(HexFormat.of().parseHex("300100")))
                .isInstanceOf(RotException.class).hasMessageContaining("not an EC, Ed25519 or RSA");
    }

    @Test
    void certificateSignaturesAreCheckedWithTheIssuerKey() throws Exception {
        TestPki pki = TestPki.create();
        TestPki other = TestPki.create();
        var leaf = pki.leaf("device").issue().certificate();

        SignatureVerifier.verifyCertificateSignature(leaf, pki.rootCertificate().getPublicKey());
        assertThat(SignatureVerifier.certificateSignatureAlgorithm(leaf)).isEqualTo(SignatureAlgorithm.ECDSA_P256_SHA256);
        assertThatThrownBy(() -> SignatureVerifier.verifyCertificateSignature(leaf, other.rootCertificate().getPublicKey()))
                .isInstanceOf(RotException.class).hasMessageContaining("CN=device");
    }

    private static BigInteger[] rs(byte[] der) {
        int rLen = der[3];
        BigInteger r = new BigInteger(Arrays.copyOfRange(der, 4, 4 + rLen));
        int sLen = der[5 + rLen];
        BigInteger s = new BigInteger(Arrays.copyOfRange(der, 6 + rLen, 6 + rLen + sLen));
        return new BigInteger[] {r, s};
    }

    private static byte[] derOf(byte[] r, byte[] s) {
        byte[] body = concat(concat(new byte[] {0x02, (byte) r.length}, r), concat(new byte[] {0x02, (byte) s.length}, s));
        return concat(new byte[] {0x30, (byte) body.length}, body);
    }

    private static byte[] toP1363(byte[] der) {
        BigInteger[] rs = rs(der);
        byte[] out = new byte[64];
        byte[] r = rs[0].toByteArray();
        byte[] s = rs[1].toByteArray();
        System.arraycopy(r, Math.max(0, r.length - 32), out, 32 - Math.min(32, r.length), Math.min(32, r.length));
        System.arraycopy(s, Math.max(0, s.length - 32), out, 64 - Math.min(32, s.length), Math.min(32, s.length));
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
