package org.voltkeep.rot.pkcs11.internal;

import java.security.PrivateKey;
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

/** An opened PKCS#11 root of trust: every private-key operation happens in the token. */
public final class Pkcs11RootOfTrust implements RootOfTrust {

    private final BackendInfo info;
    private final TrustMode trustMode;
    private final List<X509Certificate> anchors;
    private final Token token;
    private final PrivateKey deviceKey;
    private final MonotonicCounters counters;
    private List<X509Certificate> chain;

    public Pkcs11RootOfTrust(BackendInfo info, TrustMode trustMode, List<X509Certificate> anchors, Token token,
                             PrivateKey deviceKey, List<X509Certificate> chain) {
        this.info = info;
        this.trustMode = trustMode;
        this.anchors = List.copyOf(anchors);
        this.token = token;
        this.deviceKey = deviceKey;
        this.chain = List.copyOf(chain);
        this.counters = new TokenCounters(token);
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
    public synchronized PublicKey devicePublicKey() {
        return chain.get(0).getPublicKey();
    }

    @Override
    public SignatureAlgorithm deviceSignatureAlgorithm() {
        return SignatureAlgorithm.ECDSA_P256_SHA256;
    }

    @Override
    public byte[] sign(byte[] message) throws RotException {
        return token.sign(deviceKey, message);
    }

    @Override
    public synchronized Optional<X509Certificate> deviceCertificate() {
        X509Certificate leaf = chain.get(0);
        return DeviceKeyCertificates.isPlaceholder(leaf) ? Optional.empty() : Optional.of(leaf);
    }

    @Override
    public synchronized void installDeviceCertificate(List<X509Certificate> newChain) throws RotException {
        DeviceKeyCertificates.requireChainFor(newChain, devicePublicKey());
        token.setDeviceEntry(deviceKey, newChain);
        chain = List.copyOf(newChain);
    }

    @Override
    public String certificateSigningRequest(X500Principal subject) throws RotException {
        return DeviceKeyCertificates.csrPem(devicePublicKey(), deviceKey, token.provider(), subject);
    }

    @Override
    public MonotonicCounters counters() {
        return counters;
    }

    @Override
    public X509KeyManager keyManager() throws RotException {
        return token.keyManager();
    }

    @Override
    public void close() {
        token.close();
    }
}
