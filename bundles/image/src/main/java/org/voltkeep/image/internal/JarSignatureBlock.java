package org.voltkeep.image.internal;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.operator.OperatorCreationException;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;

/**
 * The signature block of a signed JAR ({@code META-INF/NAME.EC|RSA|DSA}): CMS SignedData,
 * detached, over the bytes of {@code META-INF/NAME.SF}. One signer, with its certificate in
 * the block; its chain and role are judged by the caller.
 */
final class JarSignatureBlock {

    /**
     * Who made a signature that verified.
     *
     * @param certificate  the signer's certificate
     * @param certificates every certificate the block carries (the chain, perhaps with the root)
     * @param maySign      false when the certificate forbids signing (key usage without
     *                     digitalSignature and nonRepudiation) or carries a critical extension
     *                     this platform does not know: the JDK then counts the signature as absent
     */
    record Signer(X509Certificate certificate, List<X509Certificate> certificates, boolean maySign) {
    }

    private static final Set<ASN1ObjectIdentifier> DIGESTS = Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384,
            NISTObjectIdentifiers.id_sha512);
    private static final int MIN_RSA_BITS = 2048;

    private JarSignatureBlock() {
    }

    /**
     * @param entry     the bundle's entry name in the image, for messages
     * @param blockName the block's name in the JAR
     */
    static Signer verify(String entry, String blockName, byte[] block, byte[] sf, SignedJarCheck.ChainCache known) throws ImageRejected {
        String where = entry + "!/" + blockName;
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(sf), block);
            Collection<SignerInformation> infos = cms.getSignerInfos().getSigners();
            if (infos.size() != 1) {
                throw invalid(where, "holds " + infos.size() + " signers, expected exactly one");
            }
            SignerInformation si = infos.iterator().next();
            if (!DIGESTS.contains(si.getDigestAlgorithmID().getAlgorithm())) {
                throw invalid(where, "digest algorithm " + si.getDigestAlgOID() + " is not SHA-256, SHA-384 or SHA-512");
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matching = cms.getCertificates().getMatches(si.getSID());
            if (matching.size() != 1) {
                throw invalid(where, matching.size() + " certificates match the signer, expected exactly one");
            }
            X509CertificateHolder holder = matching.iterator().next();
            X509Certificate cert = known.certificate(holder);
            requireStrongKey(where, cert);
            // The bare key: validity is judged at verification time by the caller, not at the
            // signing time the block may claim.
            if (!si.verify(BcVerifiers.signerInfo(holder.getSubjectPublicKeyInfo()))) {
                throw invalid(where, "does not verify over its signature file");
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> all = cms.getCertificates().getMatches(null);
            List<X509Certificate> certs = new ArrayList<>(all.size());
            for (X509CertificateHolder h : all) {
                certs.add(known.certificate(h));
            }
            return new Signer(cert, List.copyOf(certs), maySign(cert));
        } catch (ImageRejected r) {
            throw r;
        } catch (CMSException e) {
            throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "cannot verify signature block: " + e.getMessage(), e);
        } catch (OperatorCreationException | CertificateException | IOException | RuntimeException e) {
            throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, "malformed signature block: " + e, e);
        }
    }

    private static boolean maySign(X509Certificate cert) {
        if (cert.hasUnsupportedCriticalExtension()) {
            return false;
        }
        boolean[] ku = cert.getKeyUsage();
        return ku == null || (ku.length > 0 && ku[0]) || (ku.length > 1 && ku[1]);
    }

    private static void requireStrongKey(String where, X509Certificate cert) throws ImageRejected {
        PublicKey key = cert.getPublicKey();
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw invalid(where, "RSA key of " + rsa.getModulus().bitLength() + " bits, fewer than " + MIN_RSA_BITS);
        }
        if (key instanceof DSAPublicKey) {
            throw invalid(where, "DSA signatures are not accepted");
        }
        if (!(key instanceof RSAPublicKey || key instanceof ECPublicKey || "EdDSA".equals(key.getAlgorithm())
                || "Ed25519".equals(key.getAlgorithm()) || "Ed448".equals(key.getAlgorithm()))) {
            throw invalid(where, "key algorithm " + key.getAlgorithm() + " is not accepted");
        }
    }

    private static ImageRejected invalid(String where, String detail) {
        return new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, detail);
    }
}
