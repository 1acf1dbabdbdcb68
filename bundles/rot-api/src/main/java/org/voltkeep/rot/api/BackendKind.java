package org.voltkeep.rot.api;

import java.util.Locale;

/** Where the device identity key and the counters live. */
public enum BackendKind {
    /** Key store files under the device directory: desks and the simulator only. */
    SOFT,
    /** A PKCS#11 token (SoftHSM2 in tests; a TPM through tpm2-pkcs11 or a secure element on hardware). */
    PKCS11;

    /** Lower-case identifier used in files and on the command line ({@code soft}, {@code pkcs11}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; the exception names the offending text. */
    public static BackendKind of(String id) {
        for (BackendKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown root-of-trust backend '" + id + "' (expected soft or pkcs11)");
    }
}
