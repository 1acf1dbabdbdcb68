package org.voltkeep.rot.soft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import org.voltkeep.rot.soft.internal.SoftCounters;
import org.voltkeep.rot.soft.internal.SoftFiles;
import org.voltkeep.rot.soft.internal.SoftKeyStore;
import org.voltkeep.rot.soft.internal.SoftRootOfTrust;

/**
 * The {@code soft} backend: a PKCS#12 key store in {@code rot/device.p12} whose random
 * password sits next to it in a 0600 file, anchors in {@code rot/anchors.pem} (0444),
 * counters in {@code rot/counters} (replaced atomically, only ever raised).
 *
 * <p>This protects nothing against root or anyone who can read the device directory:
 * the password is beside the key store. It exists so desks and simulators run the same
 * verified boot as hardware; its {@link BackendInfo#description()} always says so.
 */
public final class SoftRootOfTrustBackend implements RootOfTrustBackend {

    /** The description every soft root of trust reports. */
    public static final BackendInfo INFO = new BackendInfo(BackendKind.SOFT,
            "soft (development and simulator only: PKCS#12 key store file under rot/, no protection against root)");

    private static final Logger LOG = LoggerFactory.getLogger(SoftRootOfTrustBackend.class);

    private final Clock clock;

    /** @param clock the source of provisioning times and certificate validity */
    public SoftRootOfTrustBackend(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A backend on the system UTC clock. */
    public SoftRootOfTrustBackend() {
        this(Clock.systemUTC());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.SOFT;
    }

    @Override
    public DeviceState state(Path deviceDir) throws RotException {
        return RotRecord.stateOf(deviceDir);
    }

    @Override
    public Provisioning.Result provision(Path deviceDir, Provisioning.Request request) throws RotException {
        // Everything that can be refused is checked before anything is wiped.
        List<X509Certificate> anchors = Provisioning.parseAnchors(request.anchorsPem());
        Optional<RotRecord> existing = RotRecord.requireProvisionable(deviceDir, request, BackendKind.SOFT);
        SoftFiles files = new SoftFiles(deviceDir);
        try {
            files.wipe();
            files.createRotDir();
            byte[] anchorsBytes = request.anchorsPem().getBytes(StandardCharsets.UTF_8);
            files.writeAnchors(anchorsBytes);
            SoftKeyStore keyStore = SoftKeyStore.generate(files, clock.instant());
            SoftCounters.create(files, Map.of(MonotonicCounters.SECURITY_VERSION, 0L, MonotonicCounters.BOOT, 0L));
            String fingerprint = Provisioning.fingerprint(keyStore.publicKey());
            X500Principal subject = request.subject().orElseGet(() -> Provisioning.defaultSubject(fingerprint));
            String csr = keyStore.csrPem(subject);
            new RotRecord(BackendKind.SOFT, request.trustMode(), DeviceState.PROVISIONED, fingerprint,
                    Provisioning.sha256Hex(anchorsBytes), clock.instant()).write(deviceDir);
            LOG.info("provisioned {} with the soft backend ({} trust, {} anchors, device key {})",
                    deviceDir, request.trustMode().id(), anchors.size(), fingerprint);
            return new Provisioning.Result(INFO, request.trustMode(), csr, subject, fingerprint, anchors);
        } catch (RotException | IOException | RuntimeException e) {
            // Leave the device unprovisioned rather than half-provisioned.
            try {
                files.wipe();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof RotException rot) {
                throw rot;
            }
            throw new RotException("provisioning " + deviceDir + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void decommission(Path deviceDir) throws RotException {
        RotRecord record = RotRecord.read(deviceDir)
                .orElseThrow(() -> new RotException("device " + deviceDir + " is not provisioned: nothing to decommission"));
        if (record.state() == DeviceState.DECOMMISSIONED) {
            LOG.info("device {} was already decommissioned at {}", deviceDir, record.changedAt());
            return;
        }
        if (record.backend() != BackendKind.SOFT) {
            throw new RotException("device " + deviceDir + " was provisioned with the " + record.backend().id()
                    + " backend; decommission it with that backend");
        }
        // The marker first: if wiping is interrupted, the device still never boots as provisioned.
        new RotRecord(BackendKind.SOFT, record.trustMode(), DeviceState.DECOMMISSIONED, "", "", clock.instant()).write(deviceDir);
        try {
            new SoftFiles(deviceDir).wipeKeepingRecord();
        } catch (IOException e) {
            throw new RotException("device " + deviceDir + " is marked decommissioned but wiping its key files failed: " + e.getMessage(), e);
        }
        LOG.info("decommissioned {}: soft device key and counters wiped", deviceDir);
    }

    @Override
    public RootOfTrust open(Path deviceDir) throws RotException {
        RotRecord record = RotRecord.read(deviceDir)
                .orElseThrow(() -> new RotException("device " + deviceDir + " is not provisioned (no " + RotRecord.ROT_DIR + "/" + RotRecord.FILE + ")"));
        if (record.state() == DeviceState.DECOMMISSIONED) {
            throw new RotException("device " + deviceDir + " was decommissioned at " + record.changedAt() + " and cannot be opened");
        }
        if (record.backend() != BackendKind.SOFT) {
            throw new RotException("device " + deviceDir + " was provisioned with the " + record.backend().id() + " backend, not soft");
        }
        SoftFiles files = new SoftFiles(deviceDir);
        List<X509Certificate> anchors = files.readAnchors(record.anchorsSha256());
        SoftKeyStore keyStore = SoftKeyStore.load(files);
        String fingerprint = Provisioning.fingerprint(keyStore.publicKey());
        if (!fingerprint.equals(record.deviceKeyFingerprint())) {
            throw new RotException(files.keyStore() + " holds device key " + fingerprint + ", but the device was provisioned with "
                    + record.deviceKeyFingerprint());
        }
        SoftCounters counters = SoftCounters.open(files);
        return new SoftRootOfTrust(INFO, record.trustMode(), anchors, keyStore, counters);
    }
}
