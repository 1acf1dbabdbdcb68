package org.voltkeep.update.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real local HTTPS server: resume, retries, caps, timeouts, bad URLs and untrusted servers. */
@Timeout(60)
class HttpsDownloaderTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path dir;
    private TestHttpsServer server;
    private byte[] image;
    private Optional<AgentState.Resume> saved = Optional.empty();
    private final List<long[]> progress = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        image = new byte[SIZE];
        new Random(7).nextBytes(image);
        server = new TestHttpsServer(image);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestSettings settings() throws Exception {
        TestSettings s = new TestSettings(dir, dir.resolve("boot.sock"));
        s.anchors = Optional.of(TestHttpsServer.anchorsPem());
        return s;
    }

    private HttpsDownloader downloader(TestSettings s) throws Exception {
        AgentSettings a = s.build();
        return new HttpsDownloader(a, TrustAnchors.context(a.trustAnchorsPem()));
    }

    private void fetch(HttpsDownloader d, URI uri) throws Exception {
        d.fetch(uri, partial(), done(), saved, r -> saved = r, (phase, n, total) -> progress.add(new long[] {n, total}));
    }

    private Path partial() {
        return dir.resolve("image.part");
    }

    private Path done() {
        return dir.resolve("image.vkimg");
    }

    @Test
    void downloadsTheWholeImageWithProgress() throws Exception {
        fetch(downloader(settings()), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(partial()).doesNotExist();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(SIZE, SIZE);
        assertThat(server.seen).hasSize(1);
        assertThat(server.seen.get(0).range()).isNull();
        assertThat(saved).as("nothing left to resume").isEmpty();
    }

    @Test
    void aDroppedConnectionIsResumedWhereItBroke() throws Exception {
        server.dropAfter = 100_000;
        server.dropTimes.set(1);
        fetch(downloader(settings()), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(server.seen).hasSize(2);
        TestHttpsServer.Seen second = server.seen.get(1);
        assertThat(second.range()).as("asks for the rest only").matches("bytes=\\d+-");
        long from = Long.parseLong(second.range().replaceAll("\\D", ""));
        assertThat(from).isPositive().isLessThanOrEqualTo(100_000);
        assertThat(second.ifRange()).as("only if the content is still the same").isEqualTo(server.etag);
    }

    @Test
    void aFailedDownloadKeepsItsPartAndALaterOneResumesIt() throws Exception {
        TestSettings s = settings();
        s.retries = 0;
        server.dropAfter = 120_000;
        server.dropTimes.set(1);
        HttpsDownloader d = downloader(s);
        assertThatThrownBy(() -> fetch(d, server.uri())).isInstanceOf(DownloadException.class)
                .hasMessageContaining("gave up after 1 attempts")
                .satisfies(e -> assertThat(((DownloadException) e).keepPartial()).isTrue());
        assertThat(partial()).exists();
        long kept = Files.size(partial());
        assertThat(kept).isPositive();
        assertThat(saved).isPresent();
        assertThat(saved.get().total()).isEqualTo(SIZE);

        // a new downloader, as after a restart of the agent, with what was saved
        fetch(downloader(s), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(server.seen.get(1).range()).isEqualTo("bytes=" + kept + "-");
    }

    @Test
    void changedContentStartsOver() throws Exception {
        TestSettings s = settings();
        s.retries = 0;
        server.dropAfter = 50_000;
        server.dropTimes.set(1);
        assertThatThrownBy(() -> fetch(downloader(s), server.uri())).isInstanceOf(DownloadException.class);
        byte[] newer = new byte[SIZE / 2];
        new Random(8).nextBytes(newer);
        server.content = newer;
        server.etag = "\"v2\"";
        server.lastModified = "Wed, 02 Sep 2026 10:00:00 GMT";

        fetch(downloader(s), server.uri());
        assertThat(server.seen.get(1).ifRange()).isEqualTo("\"v1\"");
        assertThat(Files.readAllBytes(done())).as("the new content, whole, not a mix").isEqualTo(newer);
    }

    @Test
    void withoutAValidatorNothingIsResumed() throws Exception {
        server.etag = null;
        server.lastModified = null;
        server.dropAfter = 100_000;
        server.dropTimes.set(1);
        fetch(downloader(settings()), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(server.seen.get(1).range()).as("no Range without If-Range").isNull();
    }

    @Test
    void serverErrorsAreRetriedWithBackOff() throws Exception {
        server.failStatus = 503;
        server.failTimes.set(2);
        fetch(downloader(settings()), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void retriesEndAndTheLastReasonIsGiven() throws Exception {
        TestSettings s = settings();
        s.retries = 2;
        server.failStatus = 500;
        server.failTimes.set(100);
        assertThatThrownBy(() -> fetch(downloader(s), server.uri())).isInstanceOf(DownloadException.class)
                .hasMessage("the server answered HTTP 500 (gave up after 3 attempts)");
        assertThat(server.requests()).isEqualTo(3);
        assertThat(done()).doesNotExist();
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        URI missing = server.uri().resolve("/other.vkimg");
        assertThatThrownBy(() -> fetch(downloader(settings()), missing)).isInstanceOf(DownloadException.class)
                .hasMessage("the server answered HTTP 404 for " + missing);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void anAnnouncedLengthAboveTheCapIsRefusedBeforeTheBody() throws Exception {
        TestSettings s = settings();
        s.maxImageBytes = SIZE - 1;
        assertThatThrownBy(() -> fetch(downloader(s), server.uri())).isInstanceOf(DownloadException.class)
                .hasMessage("the server announces " + SIZE + " bytes, more than the maximum of " + (SIZE - 1));
        assertThat(server.requests()).isEqualTo(1);
        assertThat(partial()).doesNotExist();
        assertThat(done()).doesNotExist();
    }

    @Test
    void aBodyWithoutLengthIsCutAtTheCap() throws Exception {
        TestSettings s = settings();
        s.maxImageBytes = 100_000;
        server.chunked = true;
        assertThatThrownBy(() -> fetch(downloader(s), server.uri())).isInstanceOf(DownloadException.class)
                .hasMessageContaining("larger than the maximum of 100000 bytes");
        assertThat(partial()).doesNotExist();
        assertThat(done()).doesNotExist();
        assertThat(progress.stream().mapToLong(p -> p[0]).max().orElse(0)).as("nothing past the cap was kept")
                .isLessThanOrEqualTo(100_000);
    }

    @Test
    void aBodyWithoutLengthWithinTheCapIsAccepted() throws Exception {
        server.chunked = true;
        fetch(downloader(settings()), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
    }

    @Test
    void aSilentServerTimesOutAndTheDownloadResumes() throws Exception {
        TestSettings s = settings();
        s.readTimeout = Duration.ofMillis(500);
        server.stallAfter = 80_000;
        server.stallTimes.set(1);
        fetch(downloader(s), server.uri());
        assertThat(Files.readAllBytes(done())).isEqualTo(image);
        assertThat(server.seen).hasSize(2);
        assertThat(server.seen.get(1).range()).isNotNull();
    }

    @Test
    void anUntrustedServerIsRefusedWithoutRetrying() throws Exception {
        TestSettings s = settings();
        s.anchors = Optional.empty();
        assertThatThrownBy(() -> fetch(downloader(s), server.uri())).isInstanceOf(DownloadException.class)
                .hasMessageStartingWith("TLS handshake with 127.0.0.1 failed");
        assertThat(done()).doesNotExist();
    }

    @Test
    void aClosedPortIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestSettings s = settings();
        s.retries = 1;
        assertThatThrownBy(() -> fetch(downloader(s), URI.create("https://127.0.0.1:" + port + "/image.vkimg")))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port)
                .hasMessageContaining("gave up after 2 attempts");
    }

    @Test
    void anUnknownHostIsReported() throws Exception {
        TestSettings s = settings();
        s.retries = 0;
        assertThatThrownBy(() -> fetch(downloader(s), URI.create("https://no-such-host.invalid/image.vkimg")))
                .isInstanceOf(DownloadException.class)
                .hasMessage("host name no-such-host.invalid cannot be resolved (gave up after 1 attempts)");
    }

    @Test
    void aRedirectToPlainHttpIsNotFollowed() throws Exception {
        server.redirectTo = "http://127.0.0.1:1/image.vkimg";
        assertThatThrownBy(() -> fetch(downloader(settings()), server.uri())).isInstanceOf(DownloadException.class)
                .hasMessageContaining("redirects (HTTP 302) to 'http://127.0.0.1:1/image.vkimg', which is not followed");
    }
}
