package org.voltkeep.rot.pkcs11.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.login.FailedLoginException;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.spi.DeviceKeyCertificates;
import org.voltkeep.rot.api.spi.DeviceKeyManagers;
import org.voltkeep.rot.pkcs11.Pkcs11Config;

/**
 * One logged-in session with the token through a SunPKCS11 provider of our own (not
 * registered with {@link Security} unless TLS needs it), and the token's key store
 * view. Every Voltkeep object on the token has a label starting {@value #PREFIX}.
 */
public final class Token implements AutoCloseable {

    public static final String PREFIX = "voltkeep.";
    public static final String DEVICE_ALIAS = PREFIX + "device";
    public static final String ANCHORS_PREFIX = PREFIX + "anchors.";
    public static final String TRUST_PREFIX = PREFIX + "trust.";
    public static final String COUNTER_PREFIX = PREFIX + "ctr.";

    /**
     * Private keys generated through this provider become token objects that are
     * sensitive, never extractable and good for signing only, whatever the provider's defaults.
     */
    private static final String ATTRIBUTES = """
            attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {
              CKA_TOKEN = true
              CKA_PRIVATE = true
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
              CKA_SIGN = true
              CKA_DECRYPT = false
              CKA_UNWRAP = false
              CKA_DERIVE = false
            }
            """;
    private static final int MARKER_KEY_BYTES = 16;

    private final Provider provider;
    private final KeyStore keyStore;
    private final char[] pin;
    private final String description;
    private boolean registered;
    private volatile boolean closed;

    private Token(Provider provider, KeyStore keyStore, char[] pin, String description) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.pin = pin;
        this.description = description;
    }

    /** A provider configured for one token, its key store loaded (logged in). */
    public record Session(Provider provider, KeyStore keyStore, String description) {
    }

    /** Configures a provider for the configured token and logs in. */
    public static Token open(Pkcs11Config config, TokenLabels labels) throws RotException {
        char[] pin = config.pin();
        Session s;
        try {
            s = login(config, labels, ATTRIBUTES, pin);
        } catch (RotException e) {
            Arrays.fill(pin, '\0');
            throw e;
        }
        return new Token(s.provider(), s.keyStore(), pin, s.description());
    }

    /**
     * Configures a SunPKCS11 provider of its own for the configured token (not registered
     * with {@link Security}) and loads the token's key store with {@code pin}.
     *
     * @param attributes extra SunPKCS11 configuration lines (attribute templates), or ""
     */
    public static Session login(Pkcs11Config config, TokenLabels labels, String attributes, char[] pin) throws RotException {
        String selector;
        if (config.token() instanceof Pkcs11Config.Slot s) {
            selector = "slot = " + s.id();
        } else if (config.token() instanceof Pkcs11Config.SlotListIndex i) {
            selector = "slotListIndex = " + i.index();
        } else {
            selector = "slot = " + labels.slotOf(config.library(), ((Pkcs11Config.TokenLabel) config.token()).label());
        }
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        // A name of its own per session: two sessions in one process never share a provider by name.
        String name = "voltkeep-" + HexFormat.of().formatHex(suffix);
        String inline = "--name = " + name + "\n"
                + "library = \"" + config.library() + "\"\n"
                + selector + "\n"
                + attributes;
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new RotException("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        Provider provider;
        try {
            provider = base.configure(inline);
        } catch (ProviderException | InvalidParameterException e) {
            throw new RotException("cannot open " + config + ": " + rootMessage(e), e);
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            String description = "pkcs11 token (" + selector.replace(" = ", " ") + " via " + config.library() + ")";
            return new Session(provider, keyStore, description);
        } catch (IOException e) {
            String reason = rootMessage(e);
            if (e.getCause() instanceof FailedLoginException || reason.contains("CKR_PIN_INCORRECT")) {
                throw new RotException("the " + config + " refused the PIN (CKR_PIN_INCORRECT)", e);
            }
            if (reason.contains("CKR_PIN_LOCKED")) {
                throw new RotException("the PIN of the " + config + " is locked (CKR_PIN_LOCKED); the security officer must reset it", e);
            }
            throw new RotException("cannot log in to " + config + ": " + rootMessage(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot open the key store of " + config + ": " + rootMessage(e), e);
        }
    }

    public String description() {
        return description;
    }

    public Provider provider() {
        return provider;
    }

    /** The Voltkeep labels on the token, re-read (another process may have changed them). */
    public synchronized Set<String> aliases() throws RotException {
        requireOpen();
        reload();
        try {
            Set<String> result = new TreeSet<>();
            for (String alias : Collections.list(keyStore.aliases())) {
                if (alias.startsWith(PREFIX)) {
                    result.add(alias);
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new RotException("cannot list the objects of " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates a secret-key token object labelled {@code alias}; its value is random and
     * unused, the label is what counts. Private objects are visible only after login.
     */
    public synchronized void createMarker(String alias) throws RotException {
        requireOpen();
        byte[] value = new byte[MARKER_KEY_BYTES];
        new SecureRandom().nextBytes(value);
        try {
            keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(value, "AES")), null);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot create token object '" + alias + "' on " + description + ": " + rootMessage(e), e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    public synchronized void delete(String alias) throws RotException {
        requireOpen();
        try {
            keyStore.deleteEntry(alias);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot delete token object '" + alias + "' on " + description + ": " + rootMessage(e), e);
        }
    }

    /** Deletes every Voltkeep object, the device key first. */
    public synchronized void deleteAll() throws RotException {
        Set<String> aliases = aliases();
        if (aliases.contains(DEVICE_ALIAS)) {
            delete(DEVICE_ALIAS);
        }
        for (String alias : aliases) {
            if (!alias.equals(DEVICE_ALIAS)) {
                delete(alias);
            }
        }
    }

    /** Generates an EC P-256 key pair inside the token (a sensitive, non-extractable token object). */
    public synchronized KeyPair generateDeviceKey() throws RotException {
        requireOpen();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("the token " + description + " cannot generate a P-256 key: " + rootMessage(e), e);
        }
    }

    /** Labels the device key and stores its certificate chain next to it. */
    public synchronized void setDeviceEntry(PrivateKey key, List<X509Certificate> chain) throws RotException {
        requireOpen();
        try {
            keyStore.setKeyEntry(DEVICE_ALIAS, key, null, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot store the device key entry on " + description + ": " + rootMessage(e), e);
        }
    }

    /** The device key handle (never its value). */
    public synchronized PrivateKey deviceKey() throws RotException {
        requireOpen();
        try {
            if (keyStore.getKey(DEVICE_ALIAS, null) instanceof PrivateKey key) {
                return key;
            }
            throw new RotException("the token " + description + " holds no device key '" + DEVICE_ALIAS + "'");
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot read the device key entry on " + description + ": " + rootMessage(e), e);
        }
    }

    public synchronized List<X509Certificate> deviceChain() throws RotException {
        requireOpen();
        try {
            Certificate[] chain = keyStore.getCertificateChain(DEVICE_ALIAS);
            if (chain == null || chain.length == 0) {
                throw new RotException("the token " + description + " holds no certificate for '" + DEVICE_ALIAS + "'");
            }
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : chain) {
                result.add((X509Certificate) c);
            }
            return List.copyOf(result);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot read the device certificate on " + description + ": " + rootMessage(e), e);
        }
    }

    /** Signs inside the token. */
    public byte[] sign(PrivateKey key, byte[] message) throws RotException {
        requireOpen();
        try {
            Signature signature = Signature.getInstance(DeviceKeyCertificates.SIGNATURE_ALGORITHM, provider);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new RotException("the token " + description + " cannot sign: " + rootMessage(e), e);
        }
    }

    /**
     * A key manager over the token's key store. JSSE finds signature engines only through
     * the JCA provider list, so the token's provider is appended to that list (last, so it
     * never shadows the JDK's own providers) until {@link #close()}.
     */
    public synchronized X509KeyManager keyManager() throws RotException {
        requireOpen();
        if (!registered) {
            Security.addProvider(provider);
            registered = true;
        }
        return DeviceKeyManagers.over(keyStore, null);
    }

    /**
     * Forgets the PIN and unregisters the provider. It does not log out: PKCS#11 login is
     * per process and token, so logging out would break other sessions of this process.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(pin, '\0');
        if (registered) {
            Security.removeProvider(provider.getName());
        }
    }

    private void reload() throws RotException {
        try {
            keyStore.load(null, pin);
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw new RotException("cannot re-read the objects of " + description + ": " + rootMessage(e), e);
        }
    }

    private void requireOpen() throws RotException {
        if (closed) {
            throw new RotException("the session with " + description + " is closed");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
