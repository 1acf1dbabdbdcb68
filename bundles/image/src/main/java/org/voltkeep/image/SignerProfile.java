package org.voltkeep.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * What a signer certificate of the {@link DevPki} says: its name, roles, key usages and
 * validity. The factory methods give the proper profiles; the {@code with...} methods make
 * the broken variants tests need (expired, not yet valid, wrong role, missing key usage).
 *
 * @param commonName            CN of the subject
 * @param roles                 signer roles, carried as Extended Key Usage OIDs
 * @param codeSigningUsage      whether the EKU also holds {@code id-kp-codeSigning}
 * @param digitalSignatureUsage whether key usage holds digitalSignature (else keyAgreement only)
 * @param notBefore             start of validity
 * @param notAfter              end of validity
 */
public record SignerProfile(String commonName, Set<SignerRole> roles, boolean codeSigningUsage, boolean digitalSignatureUsage,
        Instant notBefore, Instant notAfter) {

    /** Validity of development certificates: from a day ago (clock skew) to two years on. */
    static final Duration BACKDATE = Duration.ofDays(1);
    static final Duration LIFETIME = Duration.ofDays(2 * 365);

    public SignerProfile {
        Objects.requireNonNull(commonName, "commonName");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException(commonName + ": notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
    }

    /** A code signer for one zone. */
    public static SignerProfile codeSigner(Zone zone, Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new SignerProfile("Voltkeep Dev Code Signer " + zone.id(), Set.of(SignerRole.codeSignerFor(zone)), true, true,
                now.minus(BACKDATE), now.plus(LIFETIME));
    }

    /** The image signer. */
    public static SignerProfile imageSigner(Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new SignerProfile("Voltkeep Dev Image Signer", Set.of(SignerRole.IMAGE_SIGNER), false, true,
                now.minus(BACKDATE), now.plus(LIFETIME));
    }

    /** A developer key: signs images and code of any zone, for devices in development trust. */
    public static SignerProfile developer(Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new SignerProfile("Voltkeep Developer", Set.of(SignerRole.DEVELOPER), true, true, now.minus(BACKDATE), now.plus(LIFETIME));
    }

    public SignerProfile withCommonName(String cn) {
        return new SignerProfile(cn, roles, codeSigningUsage, digitalSignatureUsage, notBefore, notAfter);
    }

    public SignerProfile withRoles(Set<SignerRole> newRoles) {
        return new SignerProfile(commonName, newRoles, codeSigningUsage, digitalSignatureUsage, notBefore, notAfter);
    }

    public SignerProfile withValidity(Instant from, Instant until) {
        return new SignerProfile(commonName, roles, codeSigningUsage, digitalSignatureUsage, from, until);
    }

    public SignerProfile withoutCodeSigningUsage() {
        return new SignerProfile(commonName, roles, false, digitalSignatureUsage, notBefore, notAfter);
    }

    public SignerProfile withoutDigitalSignature() {
        return new SignerProfile(commonName, roles, codeSigningUsage, false, notBefore, notAfter);
    }
}
