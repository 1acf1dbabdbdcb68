package org.voltkeep.attestation;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;

import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureAlgorithm;
import org.voltkeep.rot.api.TrustMode;

/** A root of trust over an in-memory key: only what attestation uses works. */
final class FakeRootOfTrust implements RootOfTrust {
    private final KeyPair key;
    private final BackendInfo backend;
    private final TrustMode trustMode;
    private final long boots;
    private int signatures;
    private String failure;

    FakeRootOfTrust(KeyPair key, BackendKind kind, TrustMode trustMode, long boots) {
        this.key = key;
        this.backend = new BackendInfo(kind, "fake " + kind.id() + " backend of the attestation tests");
        this.trustMode = trustMode;
        this.boots = boots;
    }

    void failSigning(String why) {
        failure = why;
    }

    int signatures() {
        return signatures;
    }

    @Override
    public BackendInfo backend() {
        return backend;
    }

    @Override
    public TrustMode trustMode() {
        return trustMode;
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return List.of();
    }

    @Override
    public PublicKey devicePublicKey() {
        return key.getPublic();
    }

    @Override
    public SignatureAlgorithm deviceSignatureAlgorithm() {
        return SignatureAlgorithm.ECDSA_P256_SHA256;
    }

    @Override
    public byte[] sign(byte[] message) throws RotException {
        if (failure != null) {
            throw new RotException(failure);
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(message);
            signatures++;
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new RotException("fake signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<X509Certificate> deviceCertificate() {
        return Optional.empty();
    }

    @Override
    public void installDeviceCertificate(List<X509Certificate> chain) throws RotException {
        throw new RotException("not in this fake");
    }

    @Override
    public String certificateSigningRequest(X500Principal subject) throws RotException {
        throw new RotException("not in this fake");
    }

    @Override
    public MonotonicCounters counters() {
        return new MonotonicCounters() {
            @Override
            public long read(String name) {
                return MonotonicCounters.BOOT.equals(name) ? boots : 0;
            }

            @Override
            public long raiseTo(String name, long value) throws RotException {
                throw new RotException("read-only in this fake");
            }

            @Override
            public Map<String, Long> readAll() {
                return Map.of(MonotonicCounters.BOOT, boots);
            }
        };
    }

    @Override
    public X509KeyManager keyManager() throws RotException {
        throw new RotException("not in this fake");
    }

    @Override
    public void close() {
    }
}
