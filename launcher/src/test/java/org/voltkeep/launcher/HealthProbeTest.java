package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;

/** The health probe against a real Unix socket answering as the application domain's control socket does. */
class HealthProbeTest {
    @TempDir
    Path dir;

    /** Serves one connection: each request line is answered by {@code answer} (null: never answer). */
    private Thread serve(Path socket, Function<Json.Obj, Json.Obj> answer) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(c);
                for (String line; (line = in.readLine()) != null;) {
                    Json.Obj reply = answer.apply(Json.parseObject(line));
                    if (reply == null) {
                        Thread.sleep(10_000);
                        return;
                    }
                    out.write((reply.write() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                // the probe closed the connection
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void healthyOnlyWhenTheDomainSaysSoAndEveryCheckPassed() throws Exception {
        Path s1 = dir.resolve("a.sock");
        serve(s1, req -> Json.object().put("ok", true).put("healthy", true).put("checks", Json.array()
                .add(Json.object().put("name", "link").put("passed", true).put("detail", "UP"))));
        assertThat(HealthProbe.check(s1, Duration.ofSeconds(5)).healthy()).isTrue();

        Path s2 = dir.resolve("b.sock");
        serve(s2, req -> Json.object().put("ok", true).put("healthy", false).put("checks", Json.array()
                .add(Json.object().put("name", "link").put("passed", true).put("detail", "UP"))
                .add(Json.object().put("name", "org.example.db").put("passed", false).put("detail", "no database"))));
        HealthProbe.Result r = HealthProbe.check(s2, Duration.ofSeconds(5));
        assertThat(r.healthy()).isFalse();
        assertThat(r.summary()).isEqualTo("org.example.db FAILED (no database)");

        Path s3 = dir.resolve("c.sock");
        serve(s3, req -> Json.object().put("ok", true).put("healthy", true).put("checks", Json.array()
                .add(Json.object().put("name", "hal").put("passed", false).put("detail", "silent"))));
        assertThat(HealthProbe.check(s3, Duration.ofSeconds(5)).healthy()).as("a failed check outweighs the flag").isFalse();
    }

    @Test
    void anImageWithoutTheHealthCommandIsJudgedOnItsStatus() throws Exception {
        Path s = dir.resolve("old.sock");
        serve(s, req -> req.string("cmd").equals("health")
                ? Json.object().put("ok", false).put("error", "$.cmd: unknown command 'health' (known: status, ping)")
                : Json.object().put("ok", true).put("link", "DISCONNECTED").put("status", null));
        HealthProbe.Result r = HealthProbe.check(s, Duration.ofSeconds(5));
        assertThat(r.healthy()).isFalse();
        assertThat(r.summary()).contains("link FAILED (link DISCONNECTED)").contains("hal FAILED");

        Path up = dir.resolve("up.sock");
        serve(up, req -> req.string("cmd").equals("health")
                ? Json.object().put("ok", false).put("error", "$.cmd: unknown command 'health'")
                : Json.object().put("ok", true).put("link", "UP").put("status", Json.object().put("selfTestPassed", true)));
        assertThat(HealthProbe.check(up, Duration.ofSeconds(5)).healthy()).isTrue();
    }

    @Test
    void noSocketOrNoAnswerIsUnhealthyWithinTheTimeout() throws Exception {
        assertThat(HealthProbe.check(dir.resolve("none.sock"), Duration.ofSeconds(1)).summary()).contains("control-socket FAILED");
        Path s = dir.resolve("mute.sock");
        serve(s, req -> null);
        long t0 = System.nanoTime();
        HealthProbe.Result r = HealthProbe.check(s, Duration.ofMillis(500));
        assertThat(r.healthy()).isFalse();
        assertThat(r.summary()).contains("no answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
