package org.voltkeep.image.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Signer certificate checks: the chain to a trust anchor (PKIX, revocation off,
 * validity at the verification instant) and the signer's role. Each failure gets its
 * own reason, so a boot report says "expired" rather than "untrusted".
 */
public final class CertChecks {
    /** Deeper chains than this are not ours. */
    private static final int MAX_CHAIN = 6;
    private static final int KU_DIGITAL_SIGNATURE = 0;

    private CertChecks() {
    }

    /**
     * Builds the path from {@code leaf} through {@code supplied} to one of {@code anchors}
     * and validates it at {@code at}.
     *
     * @return the path, leaf first, without the anchor
     */
    public static List<X509Certificate> validate(X509Certificate leaf, Collection<X509Certificate> supplied,
            List<X509Certificate> anchors, Instant at, String entry) throws ImageRejected {
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate anchor = null;
        X509Certificate cur = leaf;
        if (isAnchor(leaf, anchors)) {
            anchor = leaf;
        }
        while (anchor == null) {
            path.add(cur);
            if (path.size() > MAX_CHAIN) {
                throw new ImageRejected(Reason.CERT_UNTRUSTED, entry, "chain of '" + subject(leaf) + "' is longer than " + MAX_CHAIN);
            }
            X509Certificate issuer = issuerAmong(cur, anchors, List.of());
            if (issuer != null) {
                anchor = issuer;
                break;
            }
            issuer = issuerAmong(cur, supplied, path);
            if (issuer == null) {
                throw new ImageRejected(Reason.CERT_UNTRUSTED, entry, "chain of '" + subject(leaf) + "' ends at '" + subject(cur)
                        + "', issued by '" + cur.getIssuerX500Principal().getName() + "', which is not a trust anchor");
            }
            if (isAnchor(issuer, anchors)) {
                anchor = issuer;
                break;
            }
            cur = issuer;
        }
        if (path.isEmpty()) {
            checkValidity(leaf, at, entry);
            return List.of();
        }
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, params);
        } catch (CertPathValidatorException e) {
            int index = e.getIndex();
            X509Certificate bad = index >= 0 && index < path.size() ? path.get(index) : leaf;
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                throw new ImageRejected(Reason.CERT_EXPIRED, entry, "certificate '" + subject(bad) + "' expired on "
                        + bad.getNotAfter().toInstant() + " (checked at " + at + ")");
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                throw new ImageRejected(Reason.CERT_NOT_YET_VALID, entry, "certificate '" + subject(bad) + "' is valid only from "
                        + bad.getNotBefore().toInstant() + " (checked at " + at + ")");
            }
            throw new ImageRejected(Reason.CERT_UNTRUSTED, entry, "chain of '" + subject(leaf) + "' does not validate at '"
                    + subject(bad) + "': " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ImageRejected(Reason.CERT_UNTRUSTED, entry, "chain of '" + subject(leaf) + "' cannot be validated: " + e.getMessage(), e);
        }
        return List.copyOf(path);
    }

    /** The role that lets {@code cert} sign an image manifest on a device in {@code mode}. */
    public static SignerRole imageSignerRole(X509Certificate cert, TrustMode mode, String entry) throws ImageRejected {
        requireDigitalSignature(cert, entry);
        Set<SignerRole> roles = roles(cert, entry);
        if (roles.contains(SignerRole.IMAGE_SIGNER)) {
            return SignerRole.IMAGE_SIGNER;
        }
        if (roles.contains(SignerRole.DEVELOPER)) {
            if (SignerRole.DEVELOPER.maySignImage(mode)) {
                return SignerRole.DEVELOPER;
            }
            throw new ImageRejected(Reason.DEVELOPMENT_SIGNER, entry, "'" + subject(cert)
                    + "' has the developer role, accepted only in development trust mode (device is in " + mode.id() + ")");
        }
        throw new ImageRejected(Reason.CERT_WRONG_ROLE, entry, "'" + subject(cert) + "' with roles " + roles
                + " may not sign images (needs " + SignerRole.IMAGE_SIGNER + ", " + SignerRole.IMAGE_SIGNER.oid() + ")");
    }

    /** The role that lets {@code cert} sign a bundle of {@code zone} on a device in {@code mode}. */
    public static SignerRole codeSignerRole(X509Certificate cert, Zone zone, TrustMode mode, String entry) throws ImageRejected {
        requireDigitalSignature(cert, entry);
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateException e) {
            throw new ImageRejected(Reason.CERT_KEY_USAGE, entry, "'" + subject(cert) + "' has an unreadable extended key usage");
        }
        if (eku == null || !eku.contains(SignerRole.CODE_SIGNING_EKU)) {
            throw new ImageRejected(Reason.CERT_KEY_USAGE, entry, "'" + subject(cert) + "' lacks extended key usage codeSigning ("
                    + SignerRole.CODE_SIGNING_EKU + ")");
        }
        Set<SignerRole> roles = roles(cert, entry);
        SignerRole needed = SignerRole.codeSignerFor(zone);
        if (roles.contains(needed)) {
            return needed;
        }
        if (roles.contains(SignerRole.DEVELOPER)) {
            if (SignerRole.DEVELOPER.maySignCode(zone, mode)) {
                return SignerRole.DEVELOPER;
            }
            throw new ImageRejected(Reason.DEVELOPMENT_SIGNER, entry, "'" + subject(cert)
                    + "' has the developer role, accepted only in development trust mode (device is in " + mode.id() + ")");
        }
        throw new ImageRejected(Reason.CERT_WRONG_ROLE, entry, "'" + subject(cert) + "' with roles " + roles
                + " may not sign code for zone " + zone.id() + " (needs " + needed + ", " + needed.oid() + ")");
    }

    public static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static Set<SignerRole> roles(X509Certificate cert, String entry) throws ImageRejected {
        try {
            return SignerRole.rolesOf(cert);
        } catch (RotException e) {
            throw new ImageRejected(Reason.CERT_WRONG_ROLE, entry, e.getMessage(), e);
        }
    }

    private static void requireDigitalSignature(X509Certificate cert, String entry) throws ImageRejected {
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || ku.length <= KU_DIGITAL_SIGNATURE || !ku[KU_DIGITAL_SIGNATURE]) {
            throw new ImageRejected(Reason.CERT_KEY_USAGE, entry, "'" + subject(cert) + "' lacks key usage digitalSignature");
        }
    }

    private static void checkValidity(X509Certificate cert, Instant at, String entry) throws ImageRejected {
        try {
            cert.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            throw new ImageRejected(Reason.CERT_EXPIRED, entry, "certificate '" + subject(cert) + "' expired on " + cert.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new ImageRejected(Reason.CERT_NOT_YET_VALID, entry, "certificate '" + subject(cert) + "' is valid only from "
                    + cert.getNotBefore().toInstant());
        }
    }

    private static boolean isAnchor(X509Certificate cert, List<X509Certificate> anchors) {
        for (X509Certificate a : anchors) {
            if (a.equals(cert)) {
                return true;
            }
        }
        return false;
    }

    /** A certificate among {@code candidates} (not already on the path) whose key signed {@code cert}. */
    private static X509Certificate issuerAmong(X509Certificate cert, Collection<X509Certificate> candidates, List<X509Certificate> onPath) {
        for (X509Certificate c : candidates) {
            if (onPath.contains(c) || !c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            if (BcVerifiers.signedBy(cert, c)) {
                return c;
            }
            // same name, other key: keep looking
        }
        return null;
    }
}
