package org.voltkeep.image;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A key that signs manifests or bundles, with its certificate chain. The private key
 * may be a handle into a token (PKCS#11): it is only ever passed to a
 * {@link java.security.Signature} of {@link #provider()}, never read out.
 */
public interface SigningKey {

    /** The private key, or a handle to it. */
    PrivateKey privateKey();

    /** The certificate chain, signer first, up to but excluding the root. */
    List<X509Certificate> chain();

    /** The provider that must do the signing (a PKCS#11 provider for token keys); empty means the default providers. */
    Optional<Provider> provider();

    /** The signer's certificate. */
    default X509Certificate certificate() {
        return chain().get(0);
    }

    /** Who this key is, for messages. */
    default String describe() {
        return certificate().getSubjectX500Principal().getName();
    }
}
