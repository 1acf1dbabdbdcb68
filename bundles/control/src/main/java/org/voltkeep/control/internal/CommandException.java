package org.voltkeep.control.internal;

/** A line that is not a valid command; the message names the field and what is wrong with it. */
final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
