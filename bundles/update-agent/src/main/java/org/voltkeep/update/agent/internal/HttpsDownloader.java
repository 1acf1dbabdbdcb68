package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads an image over https into the download directory: resumable (a partial
 * file and the server's validator survive failures and restarts; the next attempt
 * asks for the rest with Range and If-Range), capped (the announced length and
 * every byte received are held to the maximum), retried with exponential back-off
 * for failures that may pass. Redirects are followed, but never from https to http.
 */
final class HttpsDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsDownloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final AgentSettings settings;
    private final HttpClient client;

    HttpsDownloader(AgentSettings settings, SSLContext ssl) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.connectTimeout())
                .sslContext(ssl)
                .build();
    }

    /**
     * Fetches {@code uri} into {@code done}, going through {@code partial}.
     *
     * @param resume     what an earlier attempt left (used only for the same URL)
     * @param resumeSink told whenever the resume information changes, so it can be saved
     * @throws DownloadException when the download failed for good; {@link DownloadException#keepPartial()}
     *                           says whether the partial file is worth a later resume
     */
    void fetch(URI uri, Path partial, Path done, Optional<AgentState.Resume> resume, Consumer<Optional<AgentState.Resume>> resumeSink,
            ProgressSink progress) throws DownloadException, InterruptedException {
        // the latest resume information, also as an attempt that failed left it
        AtomicReference<Optional<AgentState.Resume>> current = new AtomicReference<>(resume.filter(r -> r.url().equals(uri.toString())));
        Consumer<Optional<AgentState.Resume>> track = r -> {
            current.set(r);
            resumeSink.accept(r);
        };
        try {
            Files.createDirectories(partial.getParent());
        } catch (IOException e) {
            throw DownloadException.fatal("cannot create the download directory " + partial.getParent() + ": " + e.getMessage());
        }
        if (current.get().isEmpty()) {
            FileCopier.deleteQuietly(partial);
        }
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                attempt(uri, partial, current.get(), track, progress);
                try {
                    Files.move(partial, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    StateFile.syncDirectory(done.getParent());
                } catch (IOException e) {
                    throw DownloadException.fatal("cannot move the finished download to " + done + ": " + e.getMessage());
                }
                resumeSink.accept(Optional.empty());
                return;
            } catch (DownloadException e) {
                if (!e.keepPartial()) {
                    FileCopier.deleteQuietly(partial);
                    track.accept(Optional.empty());
                }
                if (!e.retryable()) {
                    throw e;
                }
                if (attempt > settings.retries()) {
                    throw new DownloadException(e.getMessage() + " (gave up after " + attempt + " attempts)", false, e.keepPartial());
                }
                long wait = settings.backoff(attempt).toMillis();
                LOG.info("download of {} failed ({}); attempt {} of {} in {} ms", uri, e.getMessage(), attempt + 1,
                        settings.retries() + 1, wait);
                Thread.sleep(wait);
            }
        }
    }

    /** One request; returns normally when the partial file holds the whole image. */
    private void attempt(URI uri, Path partial, Optional<AgentState.Resume> resume,
            Consumer<Optional<AgentState.Resume>> resumeSink, ProgressSink progress) throws DownloadException, InterruptedException {
        long have = size(partial);
        Optional<String> ifRange = resume.flatMap(AgentState.Resume::ifRange);
        if (have > 0 && ifRange.isEmpty()) {
            // without a validator the rest could belong to other content: start over
            FileCopier.deleteQuietly(partial);
            have = 0;
        }
        if (have > 0 && resume.get().total() >= 0 && have >= resume.get().total()) {
            if (have == resume.get().total()) {
                return;
            }
            FileCopier.deleteQuietly(partial);
            have = 0;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.readTimeout()).GET();
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-").header("If-Range", ifRange.get());
            LOG.info("resuming the download of {} at byte {}", uri, have);
        }
        Attempt a = new Attempt(uri, partial, have, resume, resumeSink, progress);
        CompletableFuture<HttpResponse<Long>> f = client.sendAsync(b.build(), a::subscriber);
        long pollMillis = Math.max(10, settings.readTimeout().toMillis() / 4);
        HttpResponse<Long> response;
        while (true) {
            try {
                response = f.get(pollMillis, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                FileBodySubscriber s = a.body;
                if (s != null && s.idleNanos() > settings.readTimeout().toNanos()) {
                    s.abort(DownloadException.retry("no data from " + uri.getHost() + " for "
                            + settings.readTimeout().toMillis() + " ms"));
                }
            } catch (ExecutionException e) {
                if (a.complete) {
                    // the partial file already held every byte (the server answered 416 to the rest)
                    return;
                }
                throw classify(uri, a, e.getCause());
            } catch (InterruptedException e) {
                FileBodySubscriber s = a.body;
                if (s != null) {
                    s.abort(DownloadException.retry("interrupted"));
                }
                f.cancel(true);
                throw e;
            }
        }
        if (a.complete) {
            return;
        }
        if (a.refusal != null) {
            throw a.refusal;
        }
        long got = size(partial);
        if (a.total >= 0 && got != a.total) {
            throw DownloadException.retry("the connection ended after " + got + " of " + a.total + " bytes");
        }
        LOG.info("downloaded {} ({} bytes, HTTP {})", uri, got, response.statusCode());
    }

    private static long size(Path p) throws DownloadException {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            throw DownloadException.fatal("cannot read " + p + ": " + e.getMessage());
        }
    }

    /** What one response turned out to be; filled in on the client's thread when the headers arrive. */
    private final class Attempt {
        final URI uri;
        final Path partial;
        final long have;
        final Consumer<Optional<AgentState.Resume>> resumeSink;
        final ProgressSink progress;
        volatile Optional<AgentState.Resume> resume;
        volatile FileBodySubscriber body;
        volatile DownloadException refusal;
        volatile boolean complete;
        volatile long total = -1;

        Attempt(URI uri, Path partial, long have, Optional<AgentState.Resume> resume, Consumer<Optional<AgentState.Resume>> resumeSink,
                ProgressSink progress) {
            this.uri = uri;
            this.partial = partial;
            this.have = have;
            this.resume = resume;
            this.resumeSink = resumeSink;
            this.progress = progress;
        }

        HttpResponse.BodySubscriber<Long> subscriber(HttpResponse.ResponseInfo info) {
            try {
                return decide(info);
            } catch (DownloadException e) {
                refusal = e;
                return FileBodySubscriber.refusing(e);
            }
        }

        private HttpResponse.BodySubscriber<Long> decide(HttpResponse.ResponseInfo info) throws DownloadException {
            int code = info.statusCode();
            long max = settings.maxImageBytes();
            if (code == 200) {
                long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length > max) {
                    throw DownloadException.fatal("the server announces " + length + " bytes, more than the maximum of " + max);
                }
                if (have > 0) {
                    LOG.info("{} sent the whole image again (content changed, or no support for ranges): starting over", uri.getHost());
                }
                Optional<AgentState.Resume> r = Optional.of(new AgentState.Resume(uri.toString(),
                        info.headers().firstValue("ETag").orElse(""), info.headers().firstValue("Last-Modified").orElse(""), length));
                resume = r;
                resumeSink.accept(r);
                total = length;
                return track(new FileBodySubscriber(open(false), 0, length, max, progress));
            }
            if (code == 206) {
                String range = info.headers().firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches()) {
                    throw new DownloadException("the server answered 206 with Content-Range '" + range + "'", true, false);
                }
                long start = Long.parseLong(m.group(1));
                long full = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                if (start != have) {
                    throw new DownloadException("the server resumed at byte " + start + ", not at " + have, true, false);
                }
                long known = resume.map(AgentState.Resume::total).orElse(-1L);
                if (full >= 0 && known >= 0 && full != known) {
                    throw new DownloadException("the image changed on the server (" + known + " bytes before, " + full + " now)",
                            true, false);
                }
                if (full > max) {
                    throw DownloadException.fatal("the server announces " + full + " bytes, more than the maximum of " + max);
                }
                total = full;
                return track(new FileBodySubscriber(open(true), have, full, max, progress));
            }
            if (code == 416) {
                long known = resume.map(AgentState.Resume::total).orElse(-1L);
                if (known >= 0 && known == have) {
                    complete = true;
                    return FileBodySubscriber.refusing(DownloadException.retry("complete"));
                }
                throw new DownloadException("the server cannot resume at byte " + have + " (HTTP 416)", true, false);
            }
            if (code >= 300 && code < 400) {
                throw DownloadException.fatal("the server redirects (HTTP " + code + ") to '"
                        + info.headers().firstValue("Location").orElse("?") + "', which is not followed (https only)");
            }
            if (code == 408 || code == 429 || code >= 500) {
                throw DownloadException.retry("the server answered HTTP " + code);
            }
            throw DownloadException.fatal("the server answered HTTP " + code + " for " + uri);
        }

        private FileChannel open(boolean append) throws DownloadException {
            try {
                FileChannel ch = append
                        ? FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                        : FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE);
                return ch;
            } catch (IOException e) {
                throw DownloadException.fatal("cannot write " + partial + ": " + e.getMessage());
            }
        }

        HttpResponse.BodySubscriber<Long> track(FileBodySubscriber s) {
            body = s;
            return s;
        }
    }

    private static DownloadException classify(URI uri, Attempt a, Throwable t) {
        if (a.refusal != null) {
            return a.refusal;
        }
        String host = uri.getHost();
        for (Throwable c = t; c != null; c = c.getCause()) {
            // the client wraps a failed name lookup in connect exceptions: look for it first
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return DownloadException.retry("host name " + host + " cannot be resolved");
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DownloadException d) {
                return d;
            }
            if (c instanceof SSLHandshakeException) {
                return DownloadException.fatal("TLS handshake with " + host + " failed: " + c.getMessage());
            }
            if (c instanceof HttpConnectTimeoutException) {
                return DownloadException.retry("cannot connect to " + host + " within the connect timeout");
            }
            if (c instanceof HttpTimeoutException) {
                return DownloadException.retry("no answer from " + host + " within the read timeout");
            }
            if (c instanceof ConnectException) {
                return DownloadException.retry("cannot connect to " + host + ":" + port(uri)
                        + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
        if (t instanceof IOException) {
            return DownloadException.retry("the connection to " + host + " failed: " + t.getMessage());
        }
        return DownloadException.fatal("download from " + host + " failed: " + t);
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 443 : uri.getPort();
    }
}
