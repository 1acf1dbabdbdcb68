package org.voltkeep.safety.link.internal;

import java.util.ArrayDeque;

import org.voltkeep.link.Message;

/**
 * What waits to be written to one peer. Replies and fault reports queue in
 * order, up to a bound; statuses do not queue: only the newest waits, so a slow
 * peer gets fewer statuses instead of making anyone block. Offers never block,
 * so the controller's thread can publish through it.
 */
final class Outbox {
    private final int capacity;
    private final ArrayDeque<Message> queue;
    private Message.StatusMessage status;
    private boolean finishing;
    private boolean closed;

    Outbox(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(capacity);
    }

    /** False when the queue is full: the peer does not read what it is sent. */
    synchronized boolean offer(Message m) {
        if (closed || finishing) {
            return true;
        }
        if (queue.size() >= capacity) {
            return false;
        }
        queue.add(m);
        notifyAll();
        return true;
    }

    /** Replaces any status not yet written. */
    synchronized void offerStatus(Message.StatusMessage s) {
        if (closed || finishing) {
            return;
        }
        status = s;
        notifyAll();
    }

    /**
     * The next message to write, queued ones first; null once closed, or once
     * finishing and drained.
     */
    synchronized Message take() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            Message m = queue.poll();
            if (m != null) {
                return m;
            }
            if (status != null) {
                Message s = status;
                status = null;
                return s;
            }
            if (finishing) {
                return null;
            }
            wait();
        }
    }

    /** Accepts nothing more; what is queued is still written. */
    synchronized void finish() {
        finishing = true;
        notifyAll();
    }

    /** Drops everything; the writer stops at once. */
    synchronized void close() {
        closed = true;
        queue.clear();
        status = null;
        notifyAll();
    }

    synchronized boolean finishing() {
        return finishing;
    }
}
