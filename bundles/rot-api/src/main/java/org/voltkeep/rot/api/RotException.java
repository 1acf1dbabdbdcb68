package org.voltkeep.rot.api;

/**
 * A root-of-trust operation failed or refused. The message names what failed and
 * with which input ("rot/anchors.pem was changed after provisioning ..."), because
 * it ends up in boot reports and security events that people read.
 */
public class RotException extends Exception {
    private static final long serialVersionUID = 1L;

    public RotException(String message) {
        super(message);
    }

    public RotException(String message, Throwable cause) {
        super(message, cause);
    }
}
