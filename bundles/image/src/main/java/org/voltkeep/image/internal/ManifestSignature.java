package org.voltkeep.image.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.voltkeep.image.ImageFormat;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.SigningKey;

/**
 * The manifest's detached CMS signature (RFC 5652 SignedData, DER): one signer,
 * SHA-256 with ECDSA P-256, signed attributes content-type and message-digest, the
 * signer's chain up to but excluding the root. Verification is strict about form, so
 * that no byte of the signature file can change without the image being refused:
 * DER only, nothing unsigned besides the certificates, every certificate on the path.
 */
public final class ManifestSignature {
    private static final ASN1ObjectIdentifier CMS_ALGORITHM_PROTECT = CMSAttributes.cmsAlgorithmProtect;
    private static final Set<ASN1ObjectIdentifier> ALLOWED_SIGNED_ATTRIBUTES = Set.of(
            CMSAttributes.contentType, CMSAttributes.messageDigest, CMSAttributes.signingTime, CMS_ALGORITHM_PROTECT);

    /** What the signature file says, once its signature verified. */
    public record Verified(X509Certificate signer, List<X509Certificate> certificates) {
    }

    private ManifestSignature() {
    }

    /** Signs {@code content}; the signing time comes from the caller's clock. */
    public static byte[] sign(byte[] content, SigningKey key, Instant signingTime) throws GeneralSecurityException, IOException {
        try {
            JcaContentSignerBuilder csb = new JcaContentSignerBuilder(JcaNames.signatureAlgorithm(key.privateKey()));
            key.provider().ifPresent(csb::setProvider);
            ContentSigner signer = csb.build(key.privateKey());
            AttributeTable extra = new AttributeTable(new Attribute(CMSAttributes.signingTime,
                    new DERSet(new Time(Date.from(signingTime)))));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(extra))
                    .build(signer, key.certificate()));
            gen.addCertificates(new JcaCertStore(key.chain()));
            CMSSignedData sd = gen.generate(new CMSProcessableByteArray(content), false);
            return sd.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException e) {
            throw new GeneralSecurityException("cannot sign the manifest with '" + key.describe() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the signature over {@code content}. The signer's certificate chain is not
     * judged here (see {@link CertChecks}), only that the signature is well-formed and
     * made by the key of the certificate it names.
     */
    public static Verified verify(byte[] content, byte[] p7s) throws ImageRejected {
        String e = ImageFormat.SIGNATURE;
        ContentInfo ci;
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(p7s);
            if (!Arrays.equals(prim.getEncoded(ASN1Encoding.DER), p7s)) {
                throw invalid("not DER encoded");
            }
            ci = ContentInfo.getInstance(prim);
        } catch (IOException | IllegalArgumentException | IllegalStateException ex) {
            throw invalid("not a CMS structure: " + ex.getMessage());
        }
        try {
            if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
                throw invalid("content type " + ci.getContentType() + " is not SignedData");
            }
            SignedData sd = SignedData.getInstance(ci.getContent());
            requireCanonical(sd, p7s);
            if (sd.getVersion().intValueExact() != 1) {
                throw invalid("SignedData version " + sd.getVersion() + ", expected 1");
            }
            ASN1Set digests = sd.getDigestAlgorithms();
            if (digests.size() != 1 || !isSha256(AlgorithmIdentifier.getInstance(digests.getObjectAt(0)))) {
                throw invalid("digest algorithms must be exactly SHA-256");
            }
            if (!CMSObjectIdentifiers.data.equals(sd.getEncapContentInfo().getContentType())
                    || sd.getEncapContentInfo().getContent() != null) {
                throw invalid("must be a detached signature over data");
            }
            if (sd.getCertificates() == null || sd.getCRLs() != null) {
                throw invalid("must carry the signer's certificates and no CRLs");
            }
            if (sd.getSignerInfos().size() != 1) {
                throw invalid(sd.getSignerInfos().size() + " signers, expected exactly one");
            }
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(content), ci);
            SignerInformation si = cms.getSignerInfos().getSigners().iterator().next();
            if (si.getVersion() != 1) {
                throw invalid("SignerInfo version " + si.getVersion() + ", expected 1 (issuer and serial number)");
            }
            if (!NISTObjectIdentifiers.id_sha256.getId().equals(si.getDigestAlgOID())
                    || !isSha256(si.getDigestAlgorithmID())) {
                throw invalid("signer digest algorithm " + si.getDigestAlgOID() + " is not SHA-256");
            }
            if (!X9ObjectIdentifiers.ecdsa_with_SHA256.getId().equals(si.getEncryptionAlgOID()) || si.getEncryptionAlgParams() != null) {
                throw invalid("signature algorithm " + si.getEncryptionAlgOID() + " is not ecdsa-with-SHA256");
            }
            if (si.getUnsignedAttributes() != null) {
                throw invalid("unsigned attributes are not allowed");
            }
            AttributeTable signed = si.getSignedAttributes();
            if (signed == null) {
                throw invalid("signed attributes are required");
            }
            for (Attribute attr : signed.toASN1Structure().getAttributes()) {
                if (!ALLOWED_SIGNED_ATTRIBUTES.contains(attr.getAttrType())) {
                    throw invalid("signed attribute " + attr.getAttrType() + " is not allowed");
                }
                if (attr.getAttrValues().size() != 1) {
                    throw invalid("signed attribute " + attr.getAttrType() + " must have exactly one value");
                }
            }
            Attribute ct = signed.get(CMSAttributes.contentType);
            if (ct == null || signed.get(CMSAttributes.messageDigest) == null
                    || !CMSObjectIdentifiers.data.equals(ct.getAttrValues().getObjectAt(0))) {
                throw invalid("signed attributes must hold content-type data and message-digest");
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> all = cms.getCertificates().getMatches(null);
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matching = cms.getCertificates().getMatches(si.getSID());
            if (matching.size() != 1) {
                throw invalid(matching.size() + " certificates match the signer, expected exactly one");
            }
            X509CertificateHolder signerHolder = matching.iterator().next();
            // BC matches the signer's issuer name without regard to case; the bytes must be the certificate's own
            if (!Arrays.equals(si.getSID().getIssuer().getEncoded(ASN1Encoding.DER), signerHolder.getIssuer().getEncoded(ASN1Encoding.DER))
                    || !si.getSID().getSerialNumber().equals(signerHolder.getSerialNumber())) {
                throw invalid("signer identifier differs from the certificate it names");
            }
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            X509Certificate signerCert = conv.getCertificate(signerHolder);
            List<X509Certificate> certs = new ArrayList<>();
            for (X509CertificateHolder h : all) {
                certs.add(conv.getCertificate(h));
            }
            PublicKey pub = signerCert.getPublicKey();
            if (!(pub instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw invalid("signer key of '" + CertChecks.subject(signerCert) + "' is not EC P-256");
            }
            // Verify with the bare key: the certificate's validity is judged at verification
            // time by CertChecks, not at the signing time the signer claims.
            if (!si.verify(BcVerifiers.signerInfo(signerHolder.getSubjectPublicKeyInfo()))) {
                throw invalid("signature does not verify");
            }
            return new Verified(signerCert, List.copyOf(certs));
        } catch (ImageRejected ex) {
            throw ex;
        } catch (CMSException ex) {
            throw new ImageRejected(Reason.SIGNATURE_INVALID, e, "does not verify over " + ImageFormat.MANIFEST + ": " + ex.getMessage(), ex);
        } catch (OperatorCreationException | CertificateException | IOException | RuntimeException ex) {
            throw new ImageRejected(Reason.SIGNATURE_INVALID, e, "malformed: " + ex, ex);
        }
    }

    /** Every certificate the signature file carries must be on the validated path (or be its anchor). */
    public static void requireOnlyPathCertificates(Verified v, List<X509Certificate> path, List<X509Certificate> anchors)
            throws ImageRejected {
        for (X509Certificate c : v.certificates()) {
            if (!path.contains(c) && !anchors.contains(c)) {
                throw new ImageRejected(Reason.SIGNATURE_INVALID, ImageFormat.SIGNATURE, "carries certificate '"
                        + CertChecks.subject(c) + "' that is not on the signer's path");
            }
        }
    }

    /**
     * The bytes must be exactly what the typed structures encode to: DER with the tags,
     * versions and field order RFC 5652 gives. A generic parse would accept a signed-attributes
     * field under any context tag, and certificate signatures with unused bits set; neither
     * is covered by any signature, so either would let bits of the file change unnoticed.
     */
    private static void requireCanonical(SignedData sd, byte[] p7s) throws ImageRejected, IOException {
        ASN1EncodableVector infos = new ASN1EncodableVector();
        for (int i = 0; i < sd.getSignerInfos().size(); i++) {
            infos.add(SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(i)));
        }
        ASN1EncodableVector certs = new ASN1EncodableVector();
        if (sd.getCertificates() != null) {
            for (int i = 0; i < sd.getCertificates().size(); i++) {
                Certificate c = Certificate.getInstance(sd.getCertificates().getObjectAt(i));
                if (c.getSignature().getPadBits() != 0) {
                    throw invalid("certificate '" + c.getSubject() + "' has unused bits in its signature");
                }
                certs.add(c);
            }
        }
        SignedData canonical = new SignedData(sd.getDigestAlgorithms(), sd.getEncapContentInfo(),
                sd.getCertificates() == null ? null : new DERSet(certs), sd.getCRLs(), new DERSet(infos));
        if (!Arrays.equals(new ContentInfo(CMSObjectIdentifiers.signedData, canonical).getEncoded(ASN1Encoding.DER), p7s)) {
            throw invalid("not in canonical form (tags, versions or order differ from RFC 5652 DER)");
        }
    }

    private static boolean isSha256(AlgorithmIdentifier id) {
        return NISTObjectIdentifiers.id_sha256.equals(id.getAlgorithm())
                && (id.getParameters() == null || DERNull.INSTANCE.equals(id.getParameters()));
    }

    private static ImageRejected invalid(String detail) {
        return new ImageRejected(Reason.SIGNATURE_INVALID, ImageFormat.SIGNATURE, detail);
    }
}
