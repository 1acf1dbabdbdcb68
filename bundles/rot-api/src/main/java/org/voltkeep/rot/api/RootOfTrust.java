package org.voltkeep.rot.api;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;

/**
 * An opened, provisioned root of trust of one device.
 *
 * <p>Invariants every backend keeps:
 * <ul>
 * <li>the trust anchors are those installed at provisioning; there is no method to
 *     change them, and a backend refuses to open when they were replaced behind its back;</li>
 * <li>the device private key never leaves the backend: there is no method that
 *     returns its bytes (the {@link #keyManager()} hands out a handle that signs inside
 *     the backend; for PKCS#11 its {@code getEncoded()} is null);</li>
 * <li>counters never go down ({@link MonotonicCounters}).</li>
 * </ul>
 * Instances are safe for use from several threads. Obtain one from
 * {@link RootOfTrustBackend#open}; close it when done.
 */
public interface RootOfTrust extends AutoCloseable {

    /** What this root of trust is made of (kind and a description that says "soft" for soft backends). */
    BackendInfo backend();

    /** The trust mode chosen at provisioning. */
    TrustMode trustMode();

    /** The trust anchors installed at provisioning, unmodifiable, in file order. */
    List<X509Certificate> trustAnchors();

    /** The device identity public key (EC P-256). */
    PublicKey devicePublicKey();

    /** SHA-256 of the device public key's SubjectPublicKeyInfo, lower-case hex. */
    default String deviceKeyFingerprint() {
        return Provisioning.fingerprint(devicePublicKey());
    }

    /** The algorithm {@link #sign} uses: {@link SignatureAlgorithm#ECDSA_P256_SHA256} (DER). */
    SignatureAlgorithm deviceSignatureAlgorithm();

    /** Signs {@code message} with the device key, inside the backend. */
    byte[] sign(byte[] message) throws RotException;

    /**
     * The device certificate, once one issued for the device key has been installed;
     * empty while only the self-signed placeholder exists.
     */
    Optional<X509Certificate> deviceCertificate();

    /**
     * Installs the device certificate chain (leaf first) issued for the device key.
     *
     * @throws RotException if the leaf's public key is not the device key, or the backend cannot store it
     */
    void installDeviceCertificate(List<X509Certificate> chain) throws RotException;

    /** A PKCS#10 certificate signing request for the device key, PEM ({@code CERTIFICATE REQUEST}). */
    String certificateSigningRequest(X500Principal subject) throws RotException;

    /** The monotonic counters of this device. */
    MonotonicCounters counters();

    /**
     * A key manager that presents the device key with its certificate chain (the device
     * certificate if installed, the placeholder otherwise), for mutual TLS. Its private
     * key signs inside the backend.
     */
    X509KeyManager keyManager() throws RotException;

    /** Releases the backend; further calls that use the key or the counters fail. */
    @Override
    void close();
}
