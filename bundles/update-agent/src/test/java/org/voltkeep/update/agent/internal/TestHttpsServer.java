package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real HTTPS server on 127.0.0.1 with a certificate made for the test run by
 * {@code keytool} (nothing secret is kept in the sources). It serves one image at
 * {@code /image.vkimg} and honours Range and If-Range like a static file server; the
 * test chooses failures: a connection dropped after some bytes, a stall, error
 * statuses, a body without length, a redirect.
 */
final class TestHttpsServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final String STORE_PASSWORD = "test-only";
    private static Path pki;

    /** One request as the server saw it. */
    record Seen(String path, String range, String ifRange) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile byte[] content;
    volatile String etag = "\"v1\"";
    volatile String lastModified = "Tue, 01 Sep 2026 10:00:00 GMT";
    /** Drop the connection after this many body bytes, for the next {@link #dropTimes} requests. */
    volatile long dropAfter = -1;
    final AtomicInteger dropTimes = new AtomicInteger();
    /** Stop sending after this many body bytes (connection kept open) for the next {@link #stallTimes} requests. */
    volatile long stallAfter = -1;
    final AtomicInteger stallTimes = new AtomicInteger();
    /** Answer this status for the next {@link #failTimes} requests. */
    volatile int failStatus = 503;
    final AtomicInteger failTimes = new AtomicInteger();
    /** Send the body without Content-Length (chunked). */
    volatile boolean chunked;
    /** Claim this Content-Length in the headers instead of the real one (-1: the real one). */
    volatile long announcedLength = -1;
    /** Answer with a redirect to this location. */
    volatile String redirectTo;

    private final HttpsServer server;

    TestHttpsServer(byte[] content) throws Exception {
        this.content = content;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-https");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The PEM file with the server's certificate: the anchor that makes clients trust it. */
    static synchronized Path anchorsPem() throws Exception {
        if (pki == null) {
            Path dir = Files.createTempDirectory("voltkeep-test-pki");
            Path store = dir.resolve("server.p12");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                    "-file", dir.resolve("anchors.pem").toString());
            dir.toFile().deleteOnExit();
            store.toFile().deleteOnExit();
            dir.resolve("anchors.pem").toFile().deleteOnExit();
            pki = dir;
        }
        return pki.resolve("anchors.pem");
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static SSLContext serverContext() throws Exception {
        anchorsPem();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("server.p12"))) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/image.vkimg");
    }

    int requests() {
        return seen.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            seen.add(new Seen(ex.getRequestURI().getPath(), range, ifRange));
            ex.getRequestBody().readAllBytes();
            if (failTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(failStatus, -1);
                return;
            }
            if (redirectTo != null) {
                ex.getResponseHeaders().set("Location", redirectTo);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/image.vkimg")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = content;
            if (etag != null) {
                ex.getResponseHeaders().set("ETag", etag);
            }
            if (lastModified != null) {
                ex.getResponseHeaders().set("Last-Modified", lastModified);
            }
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            int start = 0;
            int status = 200;
            Matcher m = range == null ? null : RANGE.matcher(range);
            boolean validatorHolds = ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified);
            if (m != null && m.matches() && validatorHolds) {
                start = Integer.parseInt(m.group(1));
                if (start >= body.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
            long length = body.length - start;
            ex.sendResponseHeaders(status, chunked ? 0 : announcedLength >= 0 ? announcedLength : length);
            OutputStream out = ex.getResponseBody();
            long drop = dropTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? dropAfter : -1;
            long stall = stallTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? stallAfter : -1;
            int chunk = 4096;
            for (int off = start; off < body.length; off += chunk) {
                int n = Math.min(chunk, body.length - off);
                long sent = off - start;
                if (drop >= 0 && sent + n > drop) {
                    out.write(body, off, (int) (drop - sent));
                    out.flush();
                    // an abrupt end: the server closes the connection with bytes still owed
                    throw new IOException("test server drops the connection after " + drop + " bytes");
                }
                if (stall >= 0 && sent + n > stall) {
                    out.write(body, off, (int) (stall - sent));
                    out.flush();
                    sleepQuietly(60_000);
                    return;
                }
                out.write(body, off, n);
            }
            out.flush();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
