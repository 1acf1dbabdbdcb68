package org.voltkeep.rot.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The provisioning vocabulary shared by every backend: what to install ({@link Request}),
 * what came out ({@link Result}), and the checks anchors must pass.
 */
public final class Provisioning {

    /** More anchors than this is a mistake, not a configuration. */
    public static final int MAX_ANCHORS = 16;
    /** Upper bound on the anchors file, in characters. */
    public static final int MAX_ANCHORS_PEM_CHARS = 256 * 1024;
    /** Hex characters of the key fingerprint used in the default subject. */
    public static final int SUBJECT_FINGERPRINT_CHARS = 16;

    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

    private Provisioning() {
    }

    /**
     * What to provision.
     *
     * @param anchorsPem the contents of the anchors PEM file (CA certificates only)
     * @param trustMode  field, or development for desks (accepts the developer role)
     * @param wipe       whether an already provisioned (or decommissioned) device may be wiped first
     * @param subject    the CSR subject; empty for {@code CN=voltkeep-<fingerprint prefix>}
     */
    public record Request(String anchorsPem, TrustMode trustMode, boolean wipe, Optional<X500Principal> subject) {
        public Request {
            Objects.requireNonNull(anchorsPem, "anchorsPem");
            Objects.requireNonNull(trustMode, "trustMode");
            Objects.requireNonNull(subject, "subject");
        }

        public static Request of(String anchorsPem, TrustMode trustMode) {
            return new Request(anchorsPem, trustMode, false, Optional.empty());
        }

        public Request withWipe(boolean wipe) {
            return new Request(anchorsPem, trustMode, wipe, subject);
        }

        public Request withSubject(X500Principal subject) {
            return new Request(anchorsPem, trustMode, wipe, Optional.of(subject));
        }
    }

    /**
     * What provisioning did.
     *
     * @param backend              the backend that holds the key
     * @param trustMode            as requested
     * @param csrPem               PKCS#10 request for the device certificate, PEM
     * @param subject              the CSR subject
     * @param deviceKeyFingerprint SHA-256 of the device public key (SubjectPublicKeyInfo), hex
     * @param anchors              the anchors installed
     */
    public record Result(BackendInfo backend, TrustMode trustMode, String csrPem, X500Principal subject,
                         String deviceKeyFingerprint, List<X509Certificate> anchors) {
        public Result {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(trustMode, "trustMode");
            Objects.requireNonNull(csrPem, "csrPem");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(deviceKeyFingerprint, "deviceKeyFingerprint");
            anchors = List.copyOf(anchors);
        }
    }

    /**
     * Parses and checks an anchors file: 1 to {@value #MAX_ANCHORS} X.509 CA certificates
     * (basic constraints CA, key usage keyCertSign when present), no duplicates, and
     * nothing but CERTIFICATE blocks (a private key in an anchors file is refused loudly).
     */
    public static List<X509Certificate> parseAnchors(String pem) throws RotException {
        if (pem.length() > MAX_ANCHORS_PEM_CHARS) {
            throw new RotException("anchors file has " + pem.length() + " characters, more than " + MAX_ANCHORS_PEM_CHARS);
        }
        List<Pem.Block> blocks = Pem.decode(pem);
        if (blocks.isEmpty()) {
            throw new RotException("anchors file holds no PEM CERTIFICATE block");
        }
        if (blocks.size() > MAX_ANCHORS) {
            throw new RotException("anchors file holds " + blocks.size() + " blocks, at most " + MAX_ANCHORS + " anchors are allowed");
        }
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK lacks X.509 certificates", e);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (Pem.Block block : blocks) {
            index++;
            if (!block.type().equals("CERTIFICATE")) {
                throw new RotException("anchors file block " + index + " is a " + block.type() + ", only CERTIFICATE blocks are allowed");
            }
            X509Certificate cert;
            try {
                cert = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der()));
            } catch (CertificateException | ClassCastException e) {
                throw new RotException("anchors file block " + index + " is not an X.509 certificate: " + e.getMessage(), e);
            }
            String subject = cert.getSubjectX500Principal().getName();
            if (cert.getBasicConstraints() < 0) {
                throw new RotException("anchor " + index + " '" + subject + "' is not a CA certificate (basic constraints CA is not set)");
            }
            boolean[] usage = cert.getKeyUsage();
            if (usage != null && (usage.length <= KEY_USAGE_KEY_CERT_SIGN || !usage[KEY_USAGE_KEY_CERT_SIGN])) {
                throw new RotException("anchor " + index + " '" + subject + "' has key usage without keyCertSign");
            }
            if (!seen.add(sha256Hex(block.der()))) {
                throw new RotException("anchor " + index + " '" + subject + "' appears twice");
            }
            anchors.add(cert);
        }
        return List.copyOf(anchors);
    }

    /** SHA-256 of the key's SubjectPublicKeyInfo, lower-case hex. */
    public static String fingerprint(PublicKey key) {
        return sha256Hex(key.getEncoded());
    }

    /** SHA-256, lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** SHA-256 of UTF-8 text, lower-case hex. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code CN=voltkeep-<first 16 hex characters of the fingerprint>}. */
    public static X500Principal defaultSubject(String deviceKeyFingerprint) {
        if (deviceKeyFingerprint.length() < SUBJECT_FINGERPRINT_CHARS) {
            throw new IllegalArgumentException("fingerprint '" + deviceKeyFingerprint + "' is shorter than " + SUBJECT_FINGERPRINT_CHARS + " characters");
        }
        return new X500Principal("CN=voltkeep-" + deviceKeyFingerprint.substring(0, SUBJECT_FINGERPRINT_CHARS));
    }
}
