package org.voltkeep.rot.api;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Pure signature verification with strict encodings: no state, no key stores, no
 * trust decisions (chains and roles are the caller's business).
 *
 * <p>Why not plain JCA: what a JCA provider accepts as "DER" has changed between JDK
 * updates (older ones took some BER), and a verifier that accepts more than one encoding
 * of a signature invites malleability bugs. So ECDSA signatures are parsed here,
 * strictly (short-form lengths, minimal non-negative integers, no trailing bytes), and
 * range-checked before any arithmetic. Keys are checked too: ECDSA only over P-256 with
 * the point on the curve, RSA only with moduli of at least 2048 bits, Ed25519 with
 * {@code S < L}. ECDSA arithmetic itself is Bouncy Castle's, because JDK 17's SunEC
 * rejects valid signatures whose nonce point has an x-coordinate of at least n
 * (Wycheproof "k*G has a large x-coordinate").
 *
 * <p>Engines are fixed: ECDSA through Bouncy Castle's lightweight API, the others from
 * the JDK's own providers (SunEC, SunRsaSign) by name, so a provider registered later
 * (a PKCS#11 token, Bouncy Castle's JCA provider) never changes what verification accepts.
 */
public final class SignatureVerifier {

    /** Smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_MODULUS_BITS = 2048;

    private static final int P256_FIELD_BYTES = 32;
    private static final int P1363_LENGTH = 2 * P256_FIELD_BYTES;
    private static final int ED25519_SIGNATURE_BYTES = 64;
    /** The order of the Ed25519 base point: 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger ED25519_L =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final PSSParameterSpec PSS_SHA256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    private SignatureVerifier() {
    }

    /** Whether {@code signature} is a valid, strictly encoded signature of {@code message} by {@code key}. */
    public static boolean isValid(SignatureAlgorithm algorithm, PublicKey key, byte[] message, byte[] signature) {
        return check(algorithm, key, message, signature).isEmpty();
    }

    /**
     * Refuses unless {@code signature} is a valid, strictly encoded signature of
     * {@code message} by {@code key}; the message says why (encoding, range, key, mismatch).
     */
    public static void verify(SignatureAlgorithm algorithm, PublicKey key, byte[] message, byte[] signature) throws RotException {
        Optional<String> failure = check(algorithm, key, message, signature);
        if (failure.isPresent()) {
            throw new RotException(algorithm.jcaName() + " signature rejected: " + failure.get());
        }
    }

    /**
     * Verifies the signature of {@code cert} with {@code issuerKey}, strictly, for the
     * algorithms of {@link SignatureAlgorithm} (RSA-PSS only with SHA-256, MGF1-SHA-256, salt 32).
     */
    public static void verifyCertificateSignature(X509Certificate cert, PublicKey issuerKey) throws RotException {
        SignatureAlgorithm algorithm = certificateSignatureAlgorithm(cert);
        byte[] tbs;
        try {
            tbs = cert.getTBSCertificate();
        } catch (CertificateEncodingException e) {
            throw new RotException("certificate '" + cert.getSubjectX500Principal().getName() + "' cannot be encoded: " + e.getMessage(), e);
        }
        Optional<String> failure = check(algorithm, issuerKey, tbs, cert.getSignature());
        if (failure.isPresent()) {
            throw new RotException("signature of certificate '" + cert.getSubjectX500Principal().getName() + "' rejected: " + failure.get());
        }
    }

    /** The algorithm a certificate is signed with, refused when Voltkeep does not support it. */
    public static SignatureAlgorithm certificateSignatureAlgorithm(X509Certificate cert) throws RotException {
        String oid = cert.getSigAlgOID();
        for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
            if (a.oid().filter(oid::equals).isPresent()) {
                if (a == SignatureAlgorithm.RSA_PSS_SHA256) {
                    requirePssSha256(cert);
                }
                return a;
            }
        }
        throw new RotException("certificate '" + cert.getSubjectX500Principal().getName() + "' is signed with unsupported algorithm "
                + cert.getSigAlgName() + " (" + oid + ")");
    }

    /** Decodes an X.509 SubjectPublicKeyInfo (EC, Ed25519 or RSA); the message says why it is refused. */
    public static PublicKey publicKey(byte[] subjectPublicKeyInfo) throws RotException {
        Objects.requireNonNull(subjectPublicKeyInfo, "subjectPublicKeyInfo");
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
                if (!Arrays.equals(key.getEncoded(), subjectPublicKeyInfo)) {
                    throw new RotException("public key is not in canonical DER form");
                }
                return key;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks key factory " + algorithm, e);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new RotException("public key (" + subjectPublicKeyInfo.length + " bytes) is not an EC, Ed25519 or RSA SubjectPublicKeyInfo");
    }

    /** The reason a signature is refused, or empty when it verifies. */
    static Optional<String> check(SignatureAlgorithm algorithm, PublicKey key, byte[] message, byte[] signature) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(message, "message");
        if (key == null) {
            return Optional.of("no public key");
        }
        if (signature == null) {
            return Optional.of("no signature");
        }
        try {
            return switch (algorithm) {
                case ECDSA_P256_SHA256 -> ecdsa(key, message, derToRs(signature));
                case ECDSA_P256_SHA256_P1363 -> ecdsa(key, message, p1363ToRs(signature));
                case ED25519 -> ed25519(key, message, signature);
                case RSA_PKCS1_SHA256 -> rsa(key, message, signature, false);
                case RSA_PSS_SHA256 -> rsa(key, message, signature, true);
            };
        } catch (BadEncoding e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> ecdsa(PublicKey key, byte[] message, BigInteger[] rs) {
        if (!(key instanceof ECPublicKey ec)) {
            return Optional.of("key is " + key.getAlgorithm() + ", not EC");
        }
        if (!P256.matches(ec.getParams())) {
            return Optional.of("key is not on curve P-256");
        }
        if (!P256.onCurve(ec.getW())) {
            return Optional.of("public point is not on curve P-256");
        }
        // Bouncy Castle's lightweight ECDSA rather than SunEC: JDK 17's SunEC rejects valid
        // signatures whose nonce point has an x-coordinate >= n (Wycheproof "k*G has a large
        // x-coordinate"); BC handles that reduction, and needs no provider registration.
        try {
            ECDSASigner verifier = new ECDSASigner();
            org.bouncycastle.math.ec.ECPoint q = P256.BC_DOMAIN.getCurve()
                    .validatePoint(ec.getW().getAffineX(), ec.getW().getAffineY());
            verifier.init(false, new ECPublicKeyParameters(q, P256.BC_DOMAIN));
            return verifier.verifySignature(sha256(message), rs[0], rs[1])
                    ? Optional.empty()
                    : Optional.of("signature does not match the message and key");
        } catch (IllegalArgumentException e) {
            return Optional.of("public key refused: " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static Optional<String> ed25519(PublicKey key, byte[] message, byte[] signature) {
        if (!(key instanceof EdECPublicKey ed) || !NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName())) {
            return Optional.of("key is " + key.getAlgorithm() + ", not Ed25519");
        }
        if (signature.length != ED25519_SIGNATURE_BYTES) {
            return Optional.of("signature has " + signature.length + " bytes, Ed25519 needs 64");
        }
        // RFC 8032 5.1.7: S must be below L, or the signature is malleable.
        byte[] sLittleEndian = Arrays.copyOfRange(signature, 32, 64);
        if (littleEndian(sLittleEndian).compareTo(ED25519_L) >= 0) {
            return Optional.of("scalar S is not below the group order (non-canonical)");
        }
        return run("Ed25519", "SunEC", null, key, message, signature);
    }

    private static Optional<String> rsa(PublicKey key, byte[] message, byte[] signature, boolean pss) {
        if (!(key instanceof RSAPublicKey rsa)) {
            return Optional.of("key is " + key.getAlgorithm() + ", not RSA");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_MODULUS_BITS) {
            return Optional.of("RSA modulus has " + bits + " bits, at least " + MIN_RSA_MODULUS_BITS + " needed");
        }
        int modulusBytes = (bits + 7) / 8;
        if (signature.length != modulusBytes) {
            return Optional.of("signature has " + signature.length + " bytes, the modulus " + modulusBytes);
        }
        if (new BigInteger(1, signature).compareTo(rsa.getModulus()) >= 0) {
            return Optional.of("signature is not below the modulus");
        }
        return pss
                ? run("RSASSA-PSS", "SunRsaSign", PSS_SHA256, key, message, signature)
                : run("SHA256withRSA", "SunRsaSign", null, key, message, signature);
    }

    private static Optional<String> run(String engine, String provider, PSSParameterSpec params, PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = signatureEngine(engine, provider);
            s.initVerify(key);
            if (params != null) {
                s.setParameter(params);
            }
            s.update(message);
            return s.verify(signature) ? Optional.empty() : Optional.of("signature does not match the message and key");
        } catch (GeneralSecurityException | RuntimeException e) {
            // JCA reports malformed signatures as exceptions; for a verifier they are just "invalid".
            return Optional.of("signature does not verify: " + e.getMessage());
        }
    }

    private static Signature signatureEngine(String engine, String provider) throws GeneralSecurityException {
        if (java.security.Security.getProvider(provider) != null) {
            return Signature.getInstance(engine, provider);
        }
        return Signature.getInstance(engine);
    }

    /** Parses a strict DER {@code SEQUENCE { INTEGER r, INTEGER s }} into range-checked (r, s). */
    private static BigInteger[] derToRs(byte[] der) throws BadEncoding {
        if (der.length < 2 || (der[0] & 0xff) != 0x30) {
            throw new BadEncoding("DER signature does not start with a SEQUENCE");
        }
        // The longest P-256 signature is 2 + 2 * (2 + 33) = 72 bytes; content is then at most 70,
        // so a DER length is always one short-form byte. Integers are bounded to 33 bytes below.
        int length = der[1] & 0xff;
        if (length >= 0x80) {
            throw new BadEncoding("DER signature uses a long-form or indefinite length");
        }
        if (length != der.length - 2) {
            throw new BadEncoding("DER SEQUENCE length " + length + " does not match the " + (der.length - 2) + " bytes that follow");
        }
        int[] position = {2};
        BigInteger r = readInteger(der, position, "r");
        BigInteger s = readInteger(der, position, "s");
        if (position[0] != der.length) {
            throw new BadEncoding("DER signature has " + (der.length - position[0]) + " trailing bytes");
        }
        return rangeChecked(r, s);
    }

    private static BigInteger readInteger(byte[] der, int[] position, String name) throws BadEncoding {
        int p = position[0];
        if (p + 2 > der.length) {
            throw new BadEncoding("DER signature ends before integer " + name);
        }
        if ((der[p] & 0xff) != 0x02) {
            throw new BadEncoding("DER element for " + name + " is not an INTEGER");
        }
        int length = der[p + 1] & 0xff;
        if (length >= 0x80) {
            throw new BadEncoding("DER integer " + name + " uses a long-form length");
        }
        if (length == 0) {
            throw new BadEncoding("DER integer " + name + " is empty");
        }
        if (p + 2 + length > der.length) {
            throw new BadEncoding("DER integer " + name + " runs past the end of the signature");
        }
        byte first = der[p + 2];
        if ((first & 0x80) != 0) {
            throw new BadEncoding("DER integer " + name + " is negative");
        }
        if (first == 0 && length > 1 && (der[p + 3] & 0x80) == 0) {
            throw new BadEncoding("DER integer " + name + " has a superfluous leading zero");
        }
        if (length > P256_FIELD_BYTES + 1) {
            throw new BadEncoding("DER integer " + name + " has " + length + " bytes, too long for P-256");
        }
        position[0] = p + 2 + length;
        return new BigInteger(1, Arrays.copyOfRange(der, p + 2, p + 2 + length));
    }

    private static BigInteger[] p1363ToRs(byte[] signature) throws BadEncoding {
        if (signature.length != P1363_LENGTH) {
            throw new BadEncoding("P1363 signature has " + signature.length + " bytes, P-256 needs 64");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, P256_FIELD_BYTES));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, P256_FIELD_BYTES, P1363_LENGTH));
        return rangeChecked(r, s);
    }

    /** Refuses r or s outside {@code [1, n-1]}. */
    private static BigInteger[] rangeChecked(BigInteger r, BigInteger s) throws BadEncoding {
        BigInteger n = P256.spec().getOrder();
        if (r.signum() <= 0 || r.compareTo(n) >= 0) {
            throw new BadEncoding("r is outside [1, n-1]");
        }
        if (s.signum() <= 0 || s.compareTo(n) >= 0) {
            throw new BadEncoding("s is outside [1, n-1]");
        }
        return new BigInteger[] {r, s};
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static void requirePssSha256(X509Certificate cert) throws RotException {
        byte[] encoded = cert.getSigAlgParams();
        String subject = cert.getSubjectX500Principal().getName();
        if (encoded == null) {
            throw new RotException("certificate '" + subject + "' uses RSA-PSS without parameters (SHA-1 defaults are not accepted)");
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(encoded);
            PSSParameterSpec spec = parameters.getParameterSpec(PSSParameterSpec.class);
            boolean sha256 = "SHA-256".equals(spec.getDigestAlgorithm())
                    && "MGF1".equals(spec.getMGFAlgorithm())
                    && spec.getMGFParameters() instanceof MGF1ParameterSpec mgf
                    && "SHA-256".equals(mgf.getDigestAlgorithm())
                    && spec.getSaltLength() == 32
                    && spec.getTrailerField() == PSSParameterSpec.TRAILER_FIELD_BC;
            if (!sha256) {
                throw new RotException("certificate '" + subject + "' uses RSA-PSS parameters other than SHA-256, MGF1-SHA-256, salt 32");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new RotException("certificate '" + subject + "' has unreadable RSA-PSS parameters: " + e.getMessage(), e);
        }
    }

    /** A signature whose encoding is refused before any arithmetic. */
    private static final class BadEncoding extends Exception {
        private static final long serialVersionUID = 1L;

        BadEncoding(String message) {
            super(message, null, false, false);
        }
    }

    /** The P-256 domain parameters, computed once from the JDK (immutable). */
    private static final class P256 {
        private static final ECParameterSpec SPEC = load();
        private static final ECDomainParameters BC_DOMAIN = new ECDomainParameters(CustomNamedCurves.getByName("secp256r1"));

        static ECParameterSpec spec() {
            return SPEC;
        }

        static boolean matches(ECParameterSpec other) {
            return other != null
                    && SPEC.getCurve().equals(other.getCurve())
                    && SPEC.getGenerator().equals(other.getGenerator())
                    && SPEC.getOrder().equals(other.getOrder())
                    && SPEC.getCofactor() == other.getCofactor();
        }

        /** y^2 = x^3 + ax + b (mod p), with both coordinates reduced. */
        static boolean onCurve(ECPoint w) {
            if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
                return false;
            }
            BigInteger p = ((ECFieldFp) SPEC.getCurve().getField()).getP();
            BigInteger x = w.getAffineX();
            BigInteger y = w.getAffineY();
            if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
                return false;
            }
            BigInteger left = y.multiply(y).mod(p);
            BigInteger right = x.pow(3).add(SPEC.getCurve().getA().multiply(x)).add(SPEC.getCurve().getB()).mod(p);
            return left.equals(right);
        }

        private static ECParameterSpec load() {
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                return parameters.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks curve secp256r1", e);
            }
        }
    }
}
