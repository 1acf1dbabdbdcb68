package org.voltkeep.update;

/** An update request that was refused, or a question the launcher could not answer; the message says why. */
public class UpdateException extends Exception {
    private static final long serialVersionUID = 1L;

    public UpdateException(String message) {
        super(message);
    }

    public UpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
