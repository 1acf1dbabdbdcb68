package org.voltkeep.rot.pkcs11;

import java.security.KeyStore;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.pkcs11.internal.Token;
import org.voltkeep.rot.pkcs11.internal.TokenLabels;

/**
 * The keys and certificates of the token a {@link Pkcs11Config} names, as a
 * {@link KeyStore} of a SunPKCS11 provider of its own (never registered with
 * {@link java.security.Security}), logged in with the configured PIN. For tools that sign
 * with keys kept on a token, such as a release pipeline signing images: the private keys
 * it hands out are handles, and signing with them happens inside the token, through
 * {@link #provider()}.
 *
 * <p>SunPKCS11 shows a private key only together with a certificate object of the same
 * {@code CKA_ID}; the alias is that certificate's label.
 */
public final class Pkcs11KeyStore {
    private final Provider provider;
    private final KeyStore keyStore;
    private final String description;

    private Pkcs11KeyStore(Provider provider, KeyStore keyStore, String description) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.description = description;
    }

    /**
     * Configures a provider for the token and logs in. The messages say which token and
     * why (no such slot, the PIN refused or locked), never the PIN.
     */
    public static Pkcs11KeyStore open(Pkcs11Config config) throws RotException {
        Objects.requireNonNull(config, "config");
        char[] pin = config.pin();
        try {
            Token.Session s = Token.login(config, new TokenLabels(), "", pin);
            return new Pkcs11KeyStore(s.provider(), s.keyStore(), s.description());
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** The provider that must do the signing with this store's keys. */
    public Provider provider() {
        return provider;
    }

    /** The token's key store, loaded. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** Which token, for messages ({@code pkcs11 token (slot 12 via /usr/lib/...)}). */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
