package org.voltkeep.rot.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.DeviceState;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RootOfTrustBackend;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.spi.AtomicFiles;
import org.voltkeep.rot.api.spi.DeviceKeyCertificates;
import org.voltkeep.rot.pkcs11.internal.Pkcs11RootOfTrust;
import org.voltkeep.rot.pkcs11.internal.Token;
import org.voltkeep.rot.pkcs11.internal.TokenCounters;
import org.voltkeep.rot.pkcs11.internal.TokenLabels;

/**
 * The {@code pkcs11} backend. On the token (labels start {@code voltkeep.}):
 * <ul>
 * <li>{@code voltkeep.device}: the EC P-256 device key, generated inside the token as a
 *     sensitive, non-extractable token object, with its certificate (a self-signed
 *     placeholder until a device certificate is installed);</li>
 * <li>{@code voltkeep.anchors.<sha256>}: binds {@code rot/anchors.pem} to the token (a
 *     swapped file no longer matches);</li>
 * <li>{@code voltkeep.trust.<mode>}: the trust mode, so editing {@code rot/rot.properties}
 *     cannot switch a field device to development trust;</li>
 * <li>{@code voltkeep.ctr.<name>.<value>}: the monotonic counters.</li>
 * </ul>
 * One device per token.
 */
public final class Pkcs11RootOfTrustBackend implements RootOfTrustBackend {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11RootOfTrustBackend.class);
    private static final Set<PosixFilePermission> ANCHORS_MODE = PosixFilePermissions.fromString("r--r--r--");

    private final Pkcs11Config config;
    private final Clock clock;
    private final TokenLabels labels;

    /**
     * @param config which token and its PIN
     * @param clock  the source of provisioning times and certificate validity
     */
    public Pkcs11RootOfTrustBackend(Pkcs11Config config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.labels = new TokenLabels();
    }

    @Override
    public BackendKind kind() {
        return BackendKind.PKCS11;
    }

    /** The state the device's record states (no token access needed). */
    @Override
    public DeviceState state(Path deviceDir) throws RotException {
        return RotRecord.stateOf(deviceDir);
    }

    @Override
    public Provisioning.Result provision(Path deviceDir, Provisioning.Request request) throws RotException {
        List<X509Certificate> anchors = Provisioning.parseAnchors(request.anchorsPem());
        Optional<RotRecord> existing = RotRecord.requireProvisionable(deviceDir, request, BackendKind.PKCS11);
        Token token = Token.open(config, labels);
        try {
            Set<String> present = token.aliases();
            if (!present.isEmpty() && !request.wipe()) {
                throw new RotException(token.description() + " already holds Voltkeep objects " + present
                        + "; it belongs to a device (one device per token); re-provisioning needs wipe");
            }
        } catch (RotException | RuntimeException e) {
            token.close();
            throw e;
        }
        try {
            // From here on the old device is gone: the record first, so it stops counting as provisioned.
            AtomicFiles.delete(RotRecord.file(deviceDir));
            token.deleteAll();
            Files.createDirectories(RotRecord.rotDir(deviceDir));
            byte[] anchorsBytes = request.anchorsPem().getBytes(StandardCharsets.UTF_8);
            String anchorsSha256 = Provisioning.sha256Hex(anchorsBytes);
            AtomicFiles.write(RotRecord.anchorsFile(deviceDir), anchorsBytes, ANCHORS_MODE);
            token.createMarker(Token.ANCHORS_PREFIX + anchorsSha256);
            token.createMarker(Token.TRUST_PREFIX + request.trustMode().id());

            KeyPair keys = token.generateDeviceKey();
            X509Certificate placeholder = DeviceKeyCertificates.placeholder(keys.getPublic(), keys.getPrivate(), token.provider(), clock.instant());
            token.setDeviceEntry(keys.getPrivate(), List.of(placeholder));
            TokenCounters.initialise(token, Map.of(MonotonicCounters.SECURITY_VERSION, 0L, MonotonicCounters.BOOT, 0L));

            String fingerprint = Provisioning.fingerprint(keys.getPublic());
            X500Principal subject = request.subject().orElseGet(() -> Provisioning.defaultSubject(fingerprint));
            String csr = DeviceKeyCertificates.csrPem(keys.getPublic(), token.deviceKey(), token.provider(), subject);
            new RotRecord(BackendKind.PKCS11, request.trustMode(), DeviceState.PROVISIONED, fingerprint, anchorsSha256, clock.instant())
                    .write(deviceDir);
            BackendInfo info = info(token);
            LOG.info("provisioned {} on {} ({} trust, {} anchors, device key {})",
                    deviceDir, token.description(), request.trustMode().id(), anchors.size(), fingerprint);
            return new Provisioning.Result(info, request.trustMode(), csr, subject, fingerprint, anchors);
        } catch (RotException | IOException | RuntimeException e) {
            // Leave the device unprovisioned rather than half-provisioned.
            cleanUpAfterFailure(deviceDir, token, e);
            if (e instanceof RotException rot) {
                throw rot;
            }
            throw new RotException("provisioning " + deviceDir + " on " + token.description() + " failed: " + e.getMessage(), e);
        } finally {
            token.close();
        }
    }

    @Override
    public void decommission(Path deviceDir) throws RotException {
        RotRecord record = RotRecord.read(deviceDir)
                .orElseThrow(() -> new RotException("device " + deviceDir + " is not provisioned: nothing to decommission"));
        if (record.backend() != BackendKind.PKCS11) {
            throw new RotException("device " + deviceDir + " was provisioned with the " + record.backend().id()
                    + " backend; decommission it with that backend");
        }
        if (record.state() == DeviceState.PROVISIONED) {
            // The marker first: if wiping is interrupted, the device still never boots as provisioned.
            new RotRecord(BackendKind.PKCS11, record.trustMode(), DeviceState.DECOMMISSIONED, "", "", clock.instant()).write(deviceDir);
        }
        Token token = Token.open(config, labels);
        try {
            // Also on an already decommissioned device: finishes a wipe that was interrupted.
            token.deleteAll();
            Path anchors = RotRecord.anchorsFile(deviceDir);
            AtomicFiles.delete(anchors);
            LOG.info("decommissioned {}: Voltkeep objects deleted from {}", deviceDir, token.description());
        } catch (IOException e) {
            throw new RotException("device " + deviceDir + " is marked decommissioned but removing its anchors failed: " + e.getMessage(), e);
        } finally {
            token.close();
        }
    }

    @Override
    public RootOfTrust open(Path deviceDir) throws RotException {
        RotRecord record = RotRecord.read(deviceDir)
                .orElseThrow(() -> new RotException("device " + deviceDir + " is not provisioned (no " + RotRecord.ROT_DIR + "/" + RotRecord.FILE + ")"));
        if (record.state() == DeviceState.DECOMMISSIONED) {
            throw new RotException("device " + deviceDir + " was decommissioned at " + record.changedAt() + " and cannot be opened");
        }
        if (record.backend() != BackendKind.PKCS11) {
            throw new RotException("device " + deviceDir + " was provisioned with the " + record.backend().id() + " backend, not pkcs11");
        }
        Token token = Token.open(config, labels);
        try {
            Set<String> aliases = token.aliases();
            List<X509Certificate> anchors = readAnchors(deviceDir, record, token, aliases);
            TrustMode mode = trustMode(record, token, aliases);
            if (!aliases.contains(Token.DEVICE_ALIAS)) {
                throw new RotException(token.description() + " holds no device key '" + Token.DEVICE_ALIAS + "' (token replaced or wiped?)");
            }
            List<X509Certificate> chain = token.deviceChain();
            String fingerprint = Provisioning.fingerprint(chain.get(0).getPublicKey());
            if (!fingerprint.equals(record.deviceKeyFingerprint())) {
                throw new RotException(token.description() + " holds device key " + fingerprint
                        + ", but " + deviceDir + " was provisioned with " + record.deviceKeyFingerprint());
            }
            return new Pkcs11RootOfTrust(info(token), mode, anchors, token, token.deviceKey(), chain);
        } catch (RotException | RuntimeException e) {
            token.close();
            throw e;
        }
    }

    private static BackendInfo info(Token token) {
        return new BackendInfo(BackendKind.PKCS11, token.description() + "; device key generated in the token, not extractable");
    }

    private static List<X509Certificate> readAnchors(Path deviceDir, RotRecord record, Token token, Set<String> aliases) throws RotException {
        Path file = RotRecord.anchorsFile(deviceDir);
        byte[] bytes;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.OWNER_WRITE) || mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new RotException(file + " is writable (mode " + PosixFilePermissions.toString(mode) + "); anchors are read-only after provisioning");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RotException(file + " is missing: the device's trust anchors are gone", e);
        } catch (IOException e) {
            throw new RotException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String sha256 = Provisioning.sha256Hex(bytes);
        if (!aliases.contains(Token.ANCHORS_PREFIX + sha256)) {
            throw new RotException(file + " (SHA-256 " + sha256 + ") does not match the anchors fingerprint stored in "
                    + token.description() + ": the file was replaced after provisioning");
        }
        if (!sha256.equals(record.anchorsSha256())) {
            throw new RotException(RotRecord.file(deviceDir) + " names anchors " + record.anchorsSha256() + " but the token and file agree on " + sha256);
        }
        return Provisioning.parseAnchors(new String(bytes, StandardCharsets.UTF_8));
    }

    private static TrustMode trustMode(RotRecord record, Token token, Set<String> aliases) throws RotException {
        TrustMode found = null;
        for (TrustMode m : TrustMode.values()) {
            if (aliases.contains(Token.TRUST_PREFIX + m.id())) {
                if (found != null) {
                    throw new RotException(token.description() + " holds more than one trust mode object");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new RotException(token.description() + " holds no trust mode object");
        }
        if (found != record.trustMode()) {
            throw new RotException(RotRecord.FILE + " says " + record.trustMode().id() + " trust but " + token.description()
                    + " was provisioned for " + found.id() + " trust");
        }
        return found;
    }

    private static void cleanUpAfterFailure(Path deviceDir, Token token, Exception failure) {
        try {
            AtomicFiles.delete(RotRecord.file(deviceDir));
            token.deleteAll();
            AtomicFiles.delete(RotRecord.anchorsFile(deviceDir));
        } catch (RotException | IOException | RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }
}
