package org.voltkeep.rot.pkcs11.internal;

import java.util.Map;
import java.util.TreeMap;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RotException;

/**
 * Monotonic counters as token objects: PKCS#11 has no portable counter object, so each
 * counter value is one secret-key object labelled {@code voltkeep.ctr.<name>.<value>}.
 * A read is the highest value present; a raise creates the new object first and only
 * then deletes the lower ones, so a crash in between leaves two objects and the read
 * still returns the new value, never less. Only a logged-in user (the PIN) can create
 * or delete the objects.
 */
public final class TokenCounters implements MonotonicCounters {

    private final Token token;

    public TokenCounters(Token token) {
        this.token = token;
    }

    /** Creates the objects for initial values (provisioning). */
    public static void initialise(Token token, Map<String, Long> initial) throws RotException {
        for (Map.Entry<String, Long> e : initial.entrySet()) {
            MonotonicCounters.requireValid(e.getKey(), e.getValue());
            token.createMarker(alias(e.getKey(), e.getValue()));
        }
    }

    @Override
    public long read(String name) throws RotException {
        MonotonicCounters.requireValidName(name);
        return readAll().getOrDefault(name, 0L);
    }

    @Override
    public Map<String, Long> readAll() throws RotException {
        Map<String, Long> values = new TreeMap<>();
        for (String alias : token.aliases()) {
            if (alias.startsWith(Token.COUNTER_PREFIX)) {
                Value v = parse(alias);
                values.merge(v.name(), v.value(), Math::max);
            }
        }
        return values;
    }

    @Override
    public synchronized long raiseTo(String name, long value) throws RotException {
        MonotonicCounters.requireValid(name, value);
        long current = 0;
        boolean present = false;
        for (String alias : token.aliases()) {
            if (alias.startsWith(Token.COUNTER_PREFIX)) {
                Value v = parse(alias);
                if (v.name().equals(name)) {
                    current = Math.max(current, v.value());
                    present |= v.value() == value;
                }
            }
        }
        if (value < current || (value == current && present)) {
            return current;
        }
        // New value first; only then the old ones.
        token.createMarker(alias(name, value));
        for (String alias : token.aliases()) {
            if (alias.startsWith(Token.COUNTER_PREFIX)) {
                Value v = parse(alias);
                if (v.name().equals(name) && v.value() < value) {
                    token.delete(alias);
                }
            }
        }
        return value;
    }

    static String alias(String name, long value) {
        return Token.COUNTER_PREFIX + name + "." + value;
    }

    private record Value(String name, long value) {
    }

    private static Value parse(String alias) throws RotException {
        String rest = alias.substring(Token.COUNTER_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        try {
            if (dot <= 0) {
                throw new IllegalArgumentException("no '.' between name and value");
            }
            String name = rest.substring(0, dot);
            long value = Long.parseLong(rest.substring(dot + 1));
            MonotonicCounters.requireValid(name, value);
            return new Value(name, value);
        } catch (IllegalArgumentException e) {
            throw new RotException("token object '" + alias + "' is not a counter value (" + e.getMessage() + ")", e);
        }
    }
}
