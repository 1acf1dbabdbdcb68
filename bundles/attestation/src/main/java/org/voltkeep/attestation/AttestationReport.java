package org.voltkeep.attestation;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.voltkeep.attestation.internal.ReportJson;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;

/**
 * What a device says it booted, schema version {@value #SCHEMA_VERSION}. Signed as
 * its {@link #canonicalBytes() canonical bytes}: the compact JSON of
 * {@link Json#write()} with the keys in this order, UTF-8:
 *
 * <pre>
 * {"schemaVersion":1,"deviceKeySha256":"..","slot":"a","imageVersion":"1.4.0","securityVersion":3,
 *  "manifestSha256":"..","bundles":[{"symbolicName":"..","sha256":".."},...],"bootCounter":12,
 *  "rot":{"kind":"pkcs11","description":".."},"trustMode":"field","nonce":"..."|null,
 *  "created":"2026-11-22T08:00:00Z"}
 * </pre>
 *
 * @param deviceKeySha256 SHA-256 of the device public key's SubjectPublicKeyInfo, lowercase hex
 * @param slot            the slot booted ({@code a}, {@code b}, or the recovery slot's id)
 * @param imageVersion    the image's version as its manifest says
 * @param securityVersion the image's security version (anti-rollback)
 * @param manifestSha256  SHA-256 of the image manifest that was verified
 * @param bundles         every bundle started, in the order they were installed
 * @param bootCounter     the root of trust's boot counter
 * @param rot             the root-of-trust backend that holds the device key
 * @param trustMode       field or development trust
 * @param nonce           the verifier's challenge, when one was given
 * @param created         when the report was made (device clock)
 */
public record AttestationReport(String deviceKeySha256, String slot, String imageVersion, long securityVersion,
        String manifestSha256, List<BundleDigest> bundles, long bootCounter, BackendInfo rot, TrustMode trustMode,
        Optional<Nonce> nonce, Instant created) {

    public static final int SCHEMA_VERSION = 1;
    /** Far more than an image holds; a bound keeps hostile reports small. */
    public static final int MAX_BUNDLES = 1024;
    public static final int MAX_DESCRIPTION_CHARS = 256;

    private static final Pattern SLOT = Pattern.compile("[a-z0-9][a-z0-9-]{0,15}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}");

    public AttestationReport {
        Checks.requireSha256("deviceKeySha256", deviceKeySha256);
        Objects.requireNonNull(slot, "slot");
        if (!SLOT.matcher(slot).matches()) {
            throw new IllegalArgumentException("slot '" + slot + "' is not 1 to 16 lowercase letters, digits and '-'");
        }
        Objects.requireNonNull(imageVersion, "imageVersion");
        if (!VERSION.matcher(imageVersion).matches()) {
            throw new IllegalArgumentException("image version '" + imageVersion
                    + "' is not 1 to 64 characters of letters, digits and . _ + ~ -");
        }
        if (securityVersion < 0) {
            throw new IllegalArgumentException("security version " + securityVersion + " is negative");
        }
        Checks.requireSha256("manifestSha256", manifestSha256);
        bundles = List.copyOf(Objects.requireNonNull(bundles, "bundles"));
        if (bundles.size() > MAX_BUNDLES) {
            throw new IllegalArgumentException(bundles.size() + " bundles; a report holds at most " + MAX_BUNDLES);
        }
        Set<String> names = new HashSet<>();
        for (BundleDigest b : bundles) {
            if (!names.add(b.symbolicName())) {
                throw new IllegalArgumentException("bundle " + b.symbolicName() + " is listed twice");
            }
        }
        if (bootCounter < 0) {
            throw new IllegalArgumentException("boot counter " + bootCounter + " is negative");
        }
        Objects.requireNonNull(rot, "rot");
        if (rot.description().length() > MAX_DESCRIPTION_CHARS) {
            throw new IllegalArgumentException("root-of-trust description has " + rot.description().length()
                    + " characters; at most " + MAX_DESCRIPTION_CHARS);
        }
        Objects.requireNonNull(trustMode, "trustMode");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(created, "created");
    }

    /** The report as JSON, keys in canonical order. */
    public Json.Obj toJson() {
        return ReportJson.write(this);
    }

    /** The bytes that are signed: {@code toJson().write()} in UTF-8. */
    public byte[] canonicalBytes() {
        return toJson().write().getBytes(StandardCharsets.UTF_8);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the fields one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private String deviceKeySha256;
        private String slot;
        private String imageVersion;
        private long securityVersion;
        private String manifestSha256;
        private final List<BundleDigest> bundles = new ArrayList<>();
        private long bootCounter;
        private BackendInfo rot;
        private TrustMode trustMode;
        private Optional<Nonce> nonce = Optional.empty();
        private Instant created;

        private Builder() {
        }

        /** Sets the device key fingerprint, the backend, the trust mode and the boot counter from the root of trust. */
        public Builder rootOfTrust(RootOfTrust rootOfTrust) throws RotException {
            deviceKey(rootOfTrust.devicePublicKey());
            rot = rootOfTrust.backend();
            trustMode = rootOfTrust.trustMode();
            bootCounter = rootOfTrust.counters().read(MonotonicCounters.BOOT);
            return this;
        }

        public Builder deviceKey(PublicKey key) {
            deviceKeySha256 = Provisioning.fingerprint(key);
            return this;
        }

        public Builder deviceKeySha256(String hex) {
            deviceKeySha256 = hex;
            return this;
        }

        public Builder slot(String slot) {
            this.slot = slot;
            return this;
        }

        public Builder imageVersion(String imageVersion) {
            this.imageVersion = imageVersion;
            return this;
        }

        public Builder securityVersion(long securityVersion) {
            this.securityVersion = securityVersion;
            return this;
        }

        public Builder manifestSha256(String manifestSha256) {
            this.manifestSha256 = manifestSha256;
            return this;
        }

        public Builder bundle(String symbolicName, String sha256) {
            bundles.add(new BundleDigest(symbolicName, sha256));
            return this;
        }

        public Builder bundles(List<BundleDigest> more) {
            bundles.addAll(more);
            return this;
        }

        public Builder bootCounter(long bootCounter) {
            this.bootCounter = bootCounter;
            return this;
        }

        public Builder rot(BackendInfo rot) {
            this.rot = rot;
            return this;
        }

        public Builder trustMode(TrustMode trustMode) {
            this.trustMode = trustMode;
            return this;
        }

        public Builder nonce(Nonce nonce) {
            this.nonce = Optional.ofNullable(nonce);
            return this;
        }

        public Builder nonce(Optional<Nonce> nonce) {
            this.nonce = Objects.requireNonNull(nonce, "nonce");
            return this;
        }

        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        public AttestationReport build() {
            return new AttestationReport(deviceKeySha256, slot, imageVersion, securityVersion, manifestSha256, bundles,
                    bootCounter, rot, trustMode, nonce, created);
        }
    }
}
