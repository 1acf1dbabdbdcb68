package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body to the partial file as it arrives, one chunk at a time,
 * and stops the transfer the moment the data goes beyond the cap or the announced
 * length. Remembers when data last came, so the waiting thread can give up on a
 * silent server (the HTTP client has no read timeout of its own for the body).
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Long> {
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final FileChannel channel;
    private final long offset;
    private final long total;
    private final long max;
    private final ProgressSink progress;
    private final DownloadException refusal;
    private volatile Flow.Subscription subscription;
    private volatile long lastDataNanos = System.nanoTime();
    private long written;

    /**
     * @param offset bytes the partial file held before (a resumed download)
     * @param total  the full length announced, -1 when not known
     */
    FileBodySubscriber(FileChannel channel, long offset, long total, long max, ProgressSink progress) {
        this.channel = channel;
        this.offset = offset;
        this.total = total;
        this.max = max;
        this.progress = progress;
        this.refusal = null;
    }

    private FileBodySubscriber(DownloadException refusal) {
        this.channel = null;
        this.offset = 0;
        this.total = -1;
        this.max = 0;
        this.progress = (p, d, t) -> { };
        this.refusal = refusal;
    }

    /** A subscriber that cancels the transfer at once: the body is not wanted. */
    static FileBodySubscriber refusing(DownloadException why) {
        return new FileBodySubscriber(why);
    }

    long idleNanos() {
        return System.nanoTime() - lastDataNanos;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refusal != null) {
            s.cancel();
            fail(refusal);
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer b : items) {
                while (b.hasRemaining()) {
                    written += channel.write(b);
                }
            }
        } catch (IOException e) {
            abort(DownloadException.fatal("cannot write the download: " + e.getMessage()));
            return;
        }
        lastDataNanos = System.nanoTime();
        long done = offset + written;
        if (done > max) {
            abort(DownloadException.fatal("the image is larger than the maximum of " + max + " bytes: download stopped at " + done));
            return;
        }
        if (total >= 0 && done > total) {
            abort(new DownloadException("the server sent more than the " + total + " bytes it announced", true, false));
            return;
        }
        progress.progress("download", done, total);
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        close();
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        try {
            if (channel != null) {
                channel.force(true);
            }
            close();
            result.complete(written);
        } catch (IOException e) {
            fail(DownloadException.fatal("cannot write the download: " + e.getMessage()));
        }
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    /** Stops the transfer from any thread; the response fails with {@code why}. */
    void abort(DownloadException why) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        fail(why);
    }

    private void fail(DownloadException why) {
        close();
        result.completeExceptionally(why);
    }

    private void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to write
            }
        }
    }
}
