package org.voltkeep.control.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.voltkeep.json.Json;

/**
 * The events waiting for one watching client. Bounded: when the client reads
 * slower than statuses arrive, the oldest events are dropped (the newest status
 * is what matters) and the client is told how many, so the status listener
 * never waits for a client.
 */
final class Watcher {
    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();
    private long dropped;

    Watcher(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("watch queue capacity " + capacity + " must be at least 1");
        }
        this.capacity = capacity;
    }

    /** Never blocks. */
    synchronized void offer(String line) {
        if (lines.size() >= capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
        notifyAll();
    }

    /**
     * The next line to send: a {@code {"event":"dropped","count":n}} notice first
     * when events were dropped since the last take.
     */
    synchronized String take() throws InterruptedException {
        while (lines.isEmpty() && dropped == 0) {
            wait();
        }
        if (dropped > 0) {
            long n = dropped;
            dropped = 0;
            return Json.object().put("event", "dropped").put("count", n).write();
        }
        return lines.removeFirst();
    }

    synchronized int queued() {
        return lines.size();
    }
}
