package org.voltkeep.attestation;

/** A signed report that cannot be read: not JSON, a missing or unknown field, a value out of range. */
public class AttestationFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public AttestationFormatException(String message) {
        super(message);
    }

    public AttestationFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
