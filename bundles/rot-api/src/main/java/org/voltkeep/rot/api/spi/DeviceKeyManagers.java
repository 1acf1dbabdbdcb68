package org.voltkeep.rot.api.spi;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyStoreBuilderParameters;
import javax.net.ssl.X509KeyManager;
import org.voltkeep.rot.api.RotException;

/**
 * Key managers over a key store that holds the device key, built with the JDK's
 * {@code NewSunX509} factory (it checks key type, issuers and validity when choosing).
 */
public final class DeviceKeyManagers {

    private DeviceKeyManagers() {
    }

    /** A key manager over {@code keyStore} (for PKCS#11 the token key store, password ignored by the token). */
    public static X509KeyManager over(KeyStore keyStore, char[] password) throws RotException {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("NewSunX509");
            factory.init(new KeyStoreBuilderParameters(
                    KeyStore.Builder.newInstance(keyStore, new KeyStore.PasswordProtection(password))));
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new RotException("the JDK key manager factory returned no X.509 key manager");
        } catch (GeneralSecurityException e) {
            throw new RotException("cannot build a key manager over the device key: " + e.getMessage(), e);
        }
    }

    /**
     * A key manager for a key the process holds in memory (soft backends), through an
     * in-memory PKCS#12 store under {@code alias}.
     */
    public static X509KeyManager inMemory(String alias, PrivateKey key, List<X509Certificate> chain) throws RotException {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
            return over(store, password);
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new RotException("cannot build an in-memory key store for the device key: " + e.getMessage(), e);
        }
    }
}
