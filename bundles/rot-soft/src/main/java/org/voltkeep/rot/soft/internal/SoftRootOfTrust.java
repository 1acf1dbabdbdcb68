package org.voltkeep.rot.soft.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureAlgorithm;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.spi.DeviceKeyCertificates;

/** An opened soft root of trust. */
public final class SoftRootOfTrust implements RootOfTrust {

    private final BackendInfo info;
    private final TrustMode trustMode;
    private final List<X509Certificate> anchors;
    private final SoftKeyStore keyStore;
    private final MonotonicCounters counters;
    private volatile boolean closed;

    public SoftRootOfTrust(BackendInfo info, TrustMode trustMode, List<X509Certificate> anchors, SoftKeyStore keyStore, SoftCounters counters) {
        this.info = info;
        this.trustMode = trustMode;
        this.anchors = List.copyOf(anchors);
        this.keyStore = keyStore;
        this.counters = new ClosableCounters(counters);
    }

    @Override
    public BackendInfo backend() {
        return info;
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
        return keyStore.publicKey();
    }

    @Override
    public SignatureAlgorithm deviceSignatureAlgorithm() {
        return SignatureAlgorithm.ECDSA_P256_SHA256;
    }

    @Override
    public byte[] sign(byte[] message) throws RotException {
        requireOpen();
        return keyStore.sign(message);
    }

    @Override
    public Optional<X509Certificate> deviceCertificate() {
        X509Certificate leaf = keyStore.chain().get(0);
        return DeviceKeyCertificates.isPlaceholder(leaf) ? Optional.empty() : Optional.of(leaf);
    }

    @Override
    public void installDeviceCertificate(List<X509Certificate> chain) throws RotException {
        requireOpen();
        keyStore.installChain(chain);
    }

    @Override
    public String certificateSigningRequest(X500Principal subject) throws RotException {
        requireOpen();
        return keyStore.csrPem(subject);
    }

    @Override
    public MonotonicCounters counters() {
        return counters;
    }

    @Override
    public X509KeyManager keyManager() throws RotException {
        requireOpen();
        return keyStore.keyManager();
    }

    @Override
    public void close() {
        closed = true;
        keyStore.destroy();
    }

    private void requireOpen() throws RotException {
        if (closed) {
            throw new RotException("soft root of trust is closed");
        }
    }

    /** Refuses counter access after close, like every other method. */
    private final class ClosableCounters implements MonotonicCounters {
        private final MonotonicCounters delegate;

        ClosableCounters(MonotonicCounters delegate) {
            this.delegate = delegate;
        }

        @Override
        public long read(String name) throws RotException {
            requireOpen();
            return delegate.read(name);
        }

        @Override
        public long raiseTo(String name, long value) throws RotException {
            requireOpen();
            return delegate.raiseTo(name, value);
        }

        @Override
        public java.util.Map<String, Long> readAll() throws RotException {
            requireOpen();
            return delegate.readAll();
        }
    }
}
