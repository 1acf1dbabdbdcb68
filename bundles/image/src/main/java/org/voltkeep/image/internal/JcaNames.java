package org.voltkeep.image.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;

/** Which signature algorithm a key signs with. */
final class JcaNames {
    private JcaNames() {
    }

    /**
     * Everything Voltkeep signs uses ECDSA P-256 with SHA-256; a key of another kind is
     * refused at build time rather than producing an image no device accepts.
     */
    static String signatureAlgorithm(PrivateKey key) throws GeneralSecurityException {
        if ("EC".equals(key.getAlgorithm())) {
            return "SHA256withECDSA";
        }
        throw new GeneralSecurityException("signing key algorithm " + key.getAlgorithm() + " is not supported (use EC P-256)");
    }
}
