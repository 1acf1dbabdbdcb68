package org.voltkeep.zones;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Passes each distinct denial on once. The resolver asks the same question on every
 * attempt; the launcher's log should say it once. Past {@link #MAX_REMEMBERED}
 * distinct messages, new ones are still passed on but no longer remembered, so a
 * bundle that tries forever cannot grow memory without bound.
 */
final class Reporter {
    static final int MAX_REMEMBERED = 4096;

    private final Consumer<String> sink;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    Reporter(Consumer<String> sink) {
        this.sink = sink;
    }

    void report(String message) {
        if (seen.contains(message)) {
            return;
        }
        if (seen.size() < MAX_REMEMBERED) {
            seen.add(message);
        }
        try {
            sink.accept(message);
        } catch (RuntimeException e) {
            // the caller's log failing must not change a decision of a hook
        }
    }
}
