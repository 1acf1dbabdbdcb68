package org.voltkeep.rot.api;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Named counters that only ever go up: anti-rollback floors and the boot counter.
 *
 * <p>Invariants every backend keeps (and its tests try to break):
 * <ul>
 * <li>{@link #read} never returns less than a value a completed {@link #raiseTo} stored,
 *     in this process or after a crash or restart;</li>
 * <li>{@link #raiseTo} with a value below the current one changes nothing;</li>
 * <li>a crash in the middle of {@link #raiseTo} leaves either the old or the new value, never less.</li>
 * </ul>
 * A counter that was never raised reads 0; provisioning sets {@link #SECURITY_VERSION}
 * and {@link #BOOT} to 0 explicitly.
 */
public interface MonotonicCounters {

    /** The anti-rollback floor: the lowest image security version the device accepts. */
    String SECURITY_VERSION = "security-version";
    /** Counts boots; attestation reports it. */
    String BOOT = "boot";

    /** Counter names: lower-case letters, digits and '-', 1 to 48 characters, starting with a letter or digit. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    /** The current value, 0 if never raised. */
    long read(String name) throws RotException;

    /**
     * Raises {@code name} to {@code value} durably (on return the value survives a crash)
     * and returns the value now stored: {@code max(current, value)}. Never lowers.
     *
     * @throws IllegalArgumentException if the name is malformed or the value negative
     */
    long raiseTo(String name, long value) throws RotException;

    /** Every counter that has been stored, by name. */
    Map<String, Long> readAll() throws RotException;

    /** Raises {@code name} by one and returns the new value. */
    default long increment(String name) throws RotException {
        long current = read(name);
        if (current == Long.MAX_VALUE) {
            throw new RotException("counter '" + name + "' is exhausted at " + current);
        }
        return raiseTo(name, current + 1);
    }

    /** Refuses malformed names and negative values with a message that names them. */
    static void requireValid(String name, long value) {
        requireValidName(name);
        if (value < 0) {
            throw new IllegalArgumentException("counter '" + name + "': value " + value + " is negative");
        }
    }

    /** Refuses a malformed name with a message that names it. */
    static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("counter name '" + name + "' is not [a-z0-9][a-z0-9-]{0,47}");
        }
    }
}
