package org.voltkeep.update.agent.internal;

/**
 * A download attempt that failed; the message says why in words.
 * {@code retryable}: another attempt may pass (connection lost, timeout, server
 * error), as opposed to a failure no retry mends (not found, too large, untrusted).
 * {@code keepPartial}: what was downloaded so far is still good for a resume.
 */
final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final boolean keepPartial;

    DownloadException(String message, boolean retryable, boolean keepPartial) {
        super(message);
        this.retryable = retryable;
        this.keepPartial = keepPartial;
    }

    static DownloadException retry(String message) {
        return new DownloadException(message, true, true);
    }

    static DownloadException fatal(String message) {
        return new DownloadException(message, false, false);
    }

    boolean retryable() {
        return retryable;
    }

    boolean keepPartial() {
        return keepPartial;
    }
}
