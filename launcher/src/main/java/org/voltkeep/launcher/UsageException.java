package org.voltkeep.launcher;

/** A command line that cannot be run as given; the message says what is wrong. Exit code 2. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
