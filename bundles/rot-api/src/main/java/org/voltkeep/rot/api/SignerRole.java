package org.voltkeep.rot.api;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a signing certificate may sign, carried as Extended Key Usage OIDs under a
 * private arc (a UUID OID, so no registration is needed). A bundle's zone comes from
 * the role of the certificate that signed it, never from a manifest header that
 * anyone can write.
 *
 * <p>Code-signing certificates also carry {@code id-kp-codeSigning}; every signing
 * certificate has key usage {@code digitalSignature}.
 */
public enum SignerRole {
    /** Signs image manifests. */
    IMAGE_SIGNER(1, null),
    /** Signs bundles of the safety zone. */
    CODE_SAFETY(2, Zone.SAFETY),
    /** Signs bundles of the core zone. */
    CODE_CORE(3, Zone.CORE),
    /** Signs bundles of the network zone. */
    CODE_NETWORK(4, Zone.NETWORK),
    /**
     * A developer key: may sign images and code of any zone, but only devices in
     * {@link TrustMode#DEVELOPMENT} accept it.
     */
    DEVELOPER(5, null);

    /** The private OID arc under which every role lives. */
    public static final String ARC = "2.25.218966376347112154631236549498478611633";
    /** {@code id-kp-codeSigning} (RFC 5280). */
    public static final String CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3";

    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;

    private final int arcNumber;
    private final Zone zone;

    SignerRole(int arcNumber, Zone zone) {
        this.arcNumber = arcNumber;
        this.zone = zone;
    }

    /** The Extended Key Usage OID of this role. */
    public String oid() {
        return ARC + "." + arcNumber;
    }

    /** The zone a code signer signs for; empty for the image signer and the developer role. */
    public Optional<Zone> zone() {
        return Optional.ofNullable(zone);
    }

    /** Whether this role may sign a bundle of {@code target} on a device in {@code mode}. */
    public boolean maySignCode(Zone target, TrustMode mode) {
        if (this == DEVELOPER) {
            return mode == TrustMode.DEVELOPMENT;
        }
        return zone != null && zone == target;
    }

    /** Whether this role may sign an image manifest on a device in {@code mode}. */
    public boolean maySignImage(TrustMode mode) {
        return this == IMAGE_SIGNER || (this == DEVELOPER && mode == TrustMode.DEVELOPMENT);
    }

    /** The code-signing role for a zone. */
    public static SignerRole codeSignerFor(Zone zone) {
        return switch (zone) {
            case SAFETY -> CODE_SAFETY;
            case CORE -> CODE_CORE;
            case NETWORK -> CODE_NETWORK;
        };
    }

    /** The role with this OID, if it is one of ours. */
    public static Optional<SignerRole> forOid(String oid) {
        for (SignerRole r : values()) {
            if (r.oid().equals(oid)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The roles a certificate carries (unknown OIDs are ignored).
     *
     * @throws RotException if the Extended Key Usage extension cannot be parsed
     */
    public static Set<SignerRole> rolesOf(X509Certificate cert) throws RotException {
        Set<SignerRole> roles = EnumSet.noneOf(SignerRole.class);
        for (String oid : extendedKeyUsage(cert)) {
            forOid(oid).ifPresent(roles::add);
        }
        return roles;
    }

    /**
     * Refuses unless {@code cert} may sign bundles of {@code target} on a device in
     * {@code mode}: key usage digitalSignature, EKU codeSigning, and a role that allows
     * the zone. The message names the certificate and what it lacks.
     */
    public static SignerRole requireCodeSigner(X509Certificate cert, Zone target, TrustMode mode) throws RotException {
        requireDigitalSignature(cert);
        List<String> eku = extendedKeyUsage(cert);
        if (!eku.contains(CODE_SIGNING_EKU)) {
            throw new RotException("certificate '" + subject(cert) + "' lacks extended key usage codeSigning (" + CODE_SIGNING_EKU + ")");
        }
        Set<SignerRole> roles = rolesOf(cert);
        for (SignerRole r : roles) {
            if (r != DEVELOPER && r.maySignCode(target, mode)) {
                return r;
            }
        }
        if (roles.contains(DEVELOPER) && DEVELOPER.maySignCode(target, mode)) {
            return DEVELOPER;
        }
        throw new RotException("certificate '" + subject(cert) + "' with roles " + roles + " may not sign code for zone "
                + target.id() + " on a device in " + mode.id() + " trust mode"
                + (roles.contains(DEVELOPER) ? " (developer role needs development trust mode)" : ""));
    }

    /**
     * Refuses unless {@code cert} may sign image manifests on a device in {@code mode}:
     * key usage digitalSignature and the image-signer role (or developer in development mode).
     */
    public static SignerRole requireImageSigner(X509Certificate cert, TrustMode mode) throws RotException {
        requireDigitalSignature(cert);
        Set<SignerRole> roles = rolesOf(cert);
        if (roles.contains(IMAGE_SIGNER)) {
            return IMAGE_SIGNER;
        }
        if (roles.contains(DEVELOPER) && DEVELOPER.maySignImage(mode)) {
            return DEVELOPER;
        }
        throw new RotException("certificate '" + subject(cert) + "' with roles " + roles
                + " may not sign images on a device in " + mode.id() + " trust mode"
                + (roles.contains(DEVELOPER) ? " (developer role needs development trust mode)" : ""));
    }

    private static void requireDigitalSignature(X509Certificate cert) throws RotException {
        boolean[] usage = cert.getKeyUsage();
        if (usage == null || usage.length <= KEY_USAGE_DIGITAL_SIGNATURE || !usage[KEY_USAGE_DIGITAL_SIGNATURE]) {
            throw new RotException("certificate '" + subject(cert) + "' lacks key usage digitalSignature");
        }
    }

    private static List<String> extendedKeyUsage(X509Certificate cert) throws RotException {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku == null ? List.of() : eku;
        } catch (CertificateParsingException e) {
            throw new RotException("certificate '" + subject(cert) + "' has an unreadable extended key usage: " + e.getMessage(), e);
        }
    }

    private static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }
}
