package org.voltkeep.rot.api.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureAlgorithm;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.spi.DeviceKeyCertificates;
import org.voltkeep.rot.api.spi.DeviceKeyManagers;

/**
 * A {@link RootOfTrust} held entirely in memory, for consumers' unit tests (attestation,
 * image verification, the update agent). It keeps the contract's invariants (anchors
 * fixed, counters never go down) but nothing survives the object, and its backend
 * description says so.
 */
public final class InMemoryRootOfTrust implements RootOfTrust {

    private static final String ALIAS = "device";

    private final List<X509Certificate> anchors;
    private final TrustMode trustMode;
    private final KeyPair deviceKey;
    private final X509Certificate placeholder;
    private final Counters counters = new Counters();
    private List<X509Certificate> deviceChain = List.of();
    private boolean closed;

    public InMemoryRootOfTrust(List<X509Certificate> anchors, TrustMode trustMode, Clock clock) {
        this.anchors = List.copyOf(anchors);
        this.trustMode = trustMode;
        this.deviceKey = TestPki.newEcKeyPair();
        try {
            this.placeholder = DeviceKeyCertificates.placeholder(deviceKey.getPublic(), deviceKey.getPrivate(), null, clock.instant());
        } catch (RotException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public BackendInfo backend() {
        return new BackendInfo(BackendKind.SOFT, "in-memory test root of trust (soft, development only, nothing persists)");
    }

    @Override
    public TrustMode trustMode() {
        return trustMode;
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return anchors;
    }

    @Override
    public PublicKey devicePublicKey() {
        return deviceKey.getPublic();
    }

    @Override
    public SignatureAlgorithm deviceSignatureAlgorithm() {
        return SignatureAlgorithm.ECDSA_P256_SHA256;
    }

    @Override
    public synchronized byte[] sign(byte[] message) throws RotException {
        requireOpen();
        try {
            Signature signature = Signature.getInstance(DeviceKeyCertificates.SIGNATURE_ALGORITHM, "SunEC");
            signature.initSign(deviceKey.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new RotException("in-memory device key cannot sign: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<X509Certificate> deviceCertificate() {
        return deviceChain.isEmpty() ? Optional.empty() : Optional.of(deviceChain.get(0));
    }

    @Override
    public synchronized void installDeviceCertificate(List<X509Certificate> chain) throws RotException {
        requireOpen();
        DeviceKeyCertificates.requireChainFor(chain, deviceKey.getPublic());
        deviceChain = List.copyOf(chain);
    }

    @Override
    public String certificateSigningRequest(X500Principal subject) throws RotException {
        requireOpen();
        return DeviceKeyCertificates.csrPem(deviceKey.getPublic(), deviceKey.getPrivate(), null, subject);
    }

    @Override
    public MonotonicCounters counters() {
        return counters;
    }

    @Override
    public synchronized X509KeyManager keyManager() throws RotException {
        requireOpen();
        return DeviceKeyManagers.inMemory(ALIAS, deviceKey.getPrivate(), deviceChain.isEmpty() ? List.of(placeholder) : deviceChain);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private synchronized void requireOpen() throws RotException {
        if (closed) {
            throw new RotException("in-memory root of trust is closed");
        }
    }

    private final class Counters implements MonotonicCounters {
        private final Map<String, Long> values = new TreeMap<>();

        @Override
        public long read(String name) throws RotException {
            MonotonicCounters.requireValidName(name);
            synchronized (InMemoryRootOfTrust.this) {
                requireOpen();
                return values.getOrDefault(name, 0L);
            }
        }

        @Override
        public long raiseTo(String name, long value) throws RotException {
            MonotonicCounters.requireValid(name, value);
            synchronized (InMemoryRootOfTrust.this) {
                requireOpen();
                return values.merge(name, value, Math::max);
            }
        }

        @Override
        public Map<String, Long> readAll() throws RotException {
            synchronized (InMemoryRootOfTrust.this) {
                requireOpen();
                return Map.copyOf(values);
            }
        }
    }
}
