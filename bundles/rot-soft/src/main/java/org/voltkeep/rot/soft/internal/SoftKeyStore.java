package org.voltkeep.rot.soft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.spi.AtomicFiles;
import org.voltkeep.rot.api.spi.DeviceKeyCertificates;
import org.voltkeep.rot.api.spi.DeviceKeyManagers;

/**
 * The device key in {@code rot/device.p12}, encrypted with a random password kept in
 * {@code rot/device.p12.pass} (both 0600). The password keeps nobody out who can read
 * the directory; it only stops accidental copies of the store from being usable alone.
 */
public final class SoftKeyStore {

    static final String ALIAS = "device";
    private static final int PASSWORD_BYTES = 32;
    private static final int MAX_PASSWORD_CHARS = 256;

    private final SoftFiles files;
    private final KeyStore store;
    private final char[] password;
    private final PrivateKey privateKey;
    private List<X509Certificate> chain;

    private SoftKeyStore(SoftFiles files, KeyStore store, char[] password, PrivateKey privateKey, List<X509Certificate> chain) {
        this.files = files;
        this.store = store;
        this.password = password;
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** Generates a P-256 device key with a placeholder certificate and writes the store and its password. */
    public static SoftKeyStore generate(SoftFiles files, Instant now) throws RotException, IOException {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new RotException("cannot generate a P-256 device key: " + e.getMessage(), e);
        }
        X509Certificate placeholder = DeviceKeyCertificates.placeholder(keys.getPublic(), keys.getPrivate(), null, now);
        byte[] random = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Arrays.fill(random, (byte) 0);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keys.getPrivate(), password, new Certificate[] {placeholder});
            AtomicFiles.write(files.password(), (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII), SoftFiles.SECRET_MODE);
            SoftKeyStore result = new SoftKeyStore(files, store, password, keys.getPrivate(), List.of(placeholder));
            result.persist();
            return result;
        } catch (GeneralSecurityException e) {
            throw new RotException("cannot create the PKCS#12 key store " + files.keyStore() + ": " + e.getMessage(), e);
        }
    }

    /** Loads the store with the password beside it. */
    public static SoftKeyStore load(SoftFiles files) throws RotException {
        char[] password = readPassword(files);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(files.keyStore());
        } catch (NoSuchFileException e) {
            throw new RotException(files.keyStore() + " is missing: the device key is gone", e);
        } catch (IOException e) {
            throw new RotException("cannot read " + files.keyStore() + ": " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            if (!(store.getKey(ALIAS, password) instanceof ECPrivateKey key)) {
                throw new RotException(files.keyStore() + " holds no EC private key under alias '" + ALIAS + "'");
            }
            Certificate[] certificates = store.getCertificateChain(ALIAS);
            if (certificates == null || certificates.length == 0) {
                throw new RotException(files.keyStore() + " holds no certificate for alias '" + ALIAS + "'");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certificates) {
                chain.add((X509Certificate) c);
            }
            return new SoftKeyStore(files, store, password, key, chain);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new RotException("cannot open the PKCS#12 key store " + files.keyStore() + " with its password file: " + e.getMessage(), e);
        }
    }

    public synchronized PublicKey publicKey() {
        return chain.get(0).getPublicKey();
    }

    public synchronized List<X509Certificate> chain() {
        return chain;
    }

    public byte[] sign(byte[] message) throws RotException {
        try {
            Signature signature = Signature.getInstance(DeviceKeyCertificates.SIGNATURE_ALGORITHM, "SunEC");
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new RotException("the soft device key cannot sign: " + e.getMessage(), e);
        }
    }

    public String csrPem(X500Principal subject) throws RotException {
        return DeviceKeyCertificates.csrPem(publicKey(), privateKey, null, subject);
    }

    /** Replaces the placeholder (or an older device certificate) and rewrites the store atomically. */
    public synchronized void installChain(List<X509Certificate> newChain) throws RotException {
        DeviceKeyCertificates.requireChainFor(newChain, publicKey());
        List<X509Certificate> previous = chain;
        try {
            store.setKeyEntry(ALIAS, privateKey, password, newChain.toArray(new Certificate[0]));
            chain = List.copyOf(newChain);
            persist();
        } catch (GeneralSecurityException | IOException e) {
            chain = previous;
            throw new RotException("cannot store the device certificate in " + files.keyStore() + ": " + e.getMessage(), e);
        }
    }

    public synchronized X509KeyManager keyManager() throws RotException {
        return DeviceKeyManagers.over(store, password);
    }

    /** Forgets the password in memory. */
    public void destroy() {
        Arrays.fill(password, '\0');
    }

    private void persist() throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        AtomicFiles.write(files.keyStore(), out.toByteArray(), SoftFiles.SECRET_MODE);
    }

    private static char[] readPassword(SoftFiles files) throws RotException {
        try {
            if (Files.size(files.password()) > MAX_PASSWORD_CHARS) {
                throw new RotException(files.password() + " is larger than a key store password");
            }
            String text = Files.readString(files.password(), StandardCharsets.US_ASCII).strip();
            if (text.isEmpty()) {
                throw new RotException(files.password() + " is empty");
            }
            return text.toCharArray();
        } catch (NoSuchFileException e) {
            throw new RotException(files.password() + " is missing: the key store cannot be opened", e);
        } catch (IOException e) {
            throw new RotException("cannot read " + files.password() + ": " + e.getMessage(), e);
        }
    }
}
