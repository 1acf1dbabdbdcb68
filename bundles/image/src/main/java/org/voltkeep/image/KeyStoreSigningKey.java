package org.voltkeep.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SigningKey} from a Java {@link KeyStore}: a PKCS#12 file, a PKCS#11 token
 * through the JDK's SunPKCS11 provider, or any loaded key store.
 *
 * @param privateKey  the key or its token handle
 * @param chain       signer first, root excluded
 * @param keyProvider the provider that holds the key, or null for the default providers
 * @param origin      where the key came from, for messages
 */
public record KeyStoreSigningKey(PrivateKey privateKey, List<X509Certificate> chain, Provider keyProvider, String origin)
        implements SigningKey {

    /** Deeper chains than this are not ours (the verifier refuses them too). */
    private static final int MAX_CHAIN = 6;

    public KeyStoreSigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(origin + ": no certificate chain");
        }
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public Optional<Provider> provider() {
        return Optional.ofNullable(keyProvider);
    }

    @Override
    public String describe() {
        return origin + " (" + certificate().getSubjectX500Principal().getName() + ")";
    }

    /** A key entry of a PKCS#12 file. */
    public static KeyStoreSigningKey pkcs12(Path file, char[] password, String alias) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return fromKeyStore(ks, password, alias, file.getFileName() + "#" + alias, null);
    }

    /**
     * A key entry of a PKCS#11 token, through a SunPKCS11 provider configured with
     * {@code config} (a SunPKCS11 configuration file: name, library, slot). The key stays
     * in the token; signing happens there.
     */
    public static KeyStoreSigningKey pkcs11(Path config, char[] pin, String alias) throws IOException, GeneralSecurityException {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new GeneralSecurityException("this JVM has no SunPKCS11 provider");
        }
        Provider p11 = base.configure(config.toString());
        KeyStore ks = KeyStore.getInstance("PKCS11", p11);
        ks.load(null, pin);
        return fromKeyStore(ks, null, alias, "pkcs11:" + p11.getName() + "#" + alias, p11);
    }

    /**
     * A key entry of a loaded key store. A trailing self-signed certificate (the root) is
     * dropped from the chain: signatures carry the chain up to but excluding the root.
     *
     * @param keyProvider the provider that must sign with this key, or null for the defaults
     */
    public static KeyStoreSigningKey fromKeyStore(KeyStore ks, char[] keyPassword, String alias, String origin, Provider keyProvider)
            throws GeneralSecurityException {
        Key key = ks.getKey(alias, keyPassword);
        if (!(key instanceof PrivateKey pk)) {
            throw new GeneralSecurityException(origin + ": no private key under alias '" + alias + "'");
        }
        Certificate[] certs = ks.getCertificateChain(alias);
        if (certs == null || certs.length == 0) {
            throw new GeneralSecurityException(origin + ": no certificate chain under alias '" + alias + "'");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : certs) {
            if (!(c instanceof X509Certificate x)) {
                throw new GeneralSecurityException(origin + ": certificate under alias '" + alias + "' is not X.509");
            }
            chain.add(x);
        }
        if (chain.size() > 1 && isSelfSigned(chain.get(chain.size() - 1))) {
            chain.remove(chain.size() - 1);
        }
        return new KeyStoreSigningKey(pk, chain, keyProvider, origin);
    }

    /**
     * This key with its chain taken from {@code certificates} instead: the one certificate
     * for this key's public key, then its issuers among them, up to but excluding a
     * self-signed root. For a token whose own certificate for the key is a placeholder
     * (what {@code keytool -genkeypair} leaves) or that holds no CA certificates.
     *
     * @param from where the certificates came from, for messages
     */
    public KeyStoreSigningKey withChainFrom(List<X509Certificate> certificates, String from) throws GeneralSecurityException {
        byte[] publicKey = certificate().getPublicKey().getEncoded();
        List<X509Certificate> leaves = certificates.stream()
                .filter(c -> Arrays.equals(c.getPublicKey().getEncoded(), publicKey))
                .toList();
        if (leaves.isEmpty()) {
            throw new GeneralSecurityException(from + " holds no certificate for the key " + origin);
        }
        if (leaves.size() > 1) {
            throw new GeneralSecurityException(from + " holds " + leaves.size() + " certificates for the key " + origin
                    + "; keep one per key");
        }
        List<X509Certificate> newChain = new ArrayList<>(List.of(leaves.get(0)));
        X509Certificate cur = leaves.get(0);
        while (!isSelfSigned(cur)) {
            X509Certificate issuer = issuerAmong(cur, certificates);
            // the root stays out; a missing CA is reported by path building, naming the issuer
            if (issuer == null || isSelfSigned(issuer)) {
                break;
            }
            if (newChain.size() >= MAX_CHAIN) {
                throw new GeneralSecurityException(from + ": the chain of " + origin + " is longer than " + MAX_CHAIN);
            }
            newChain.add(issuer);
            cur = issuer;
        }
        return new KeyStoreSigningKey(privateKey, newChain, keyProvider, origin + " with the chain from " + from);
    }

    private static X509Certificate issuerAmong(X509Certificate cert, List<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (c.equals(cert) || !c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            try {
                cert.verify(c.getPublicKey());
                return c;
            } catch (GeneralSecurityException e) {
                // same name, another key: keep looking
            }
        }
        return null;
    }

    /** The root a key store chain ends with, if it carries one. */
    public static Optional<X509Certificate> rootOf(KeyStore ks, String alias) throws GeneralSecurityException {
        Certificate[] certs = ks.getCertificateChain(alias);
        if (certs != null && certs.length > 0 && certs[certs.length - 1] instanceof X509Certificate x && isSelfSigned(x)) {
            return Optional.of(x);
        }
        return Optional.empty();
    }

    static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
