package org.voltkeep.update.agent.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.voltkeep.json.Json;

/**
 * The launcher's boot socket as the tests need it: a real Unix socket speaking the
 * JSON-lines protocol, with answers the test sets. It records every request, and
 * for an install the bytes of the file it was asked to install.
 */
final class FakeBootServer implements AutoCloseable {
    final Path path;
    final List<Json.Obj> requests = new CopyOnWriteArrayList<>();
    final List<byte[]> installedBytes = new CopyOnWriteArrayList<>();
    /** The answer to slots. */
    volatile Json.Obj slots = slots("a", "a", null, "empty", "", "");
    /** The lines answering an install (progress events, then the verdict). */
    volatile List<Json.Obj> installAnswer = List.of(
            Json.object().put("event", "progress").put("phase", "copying").put("done", 0).put("total", 100),
            Json.object().put("event", "progress").put("phase", "verifying").put("done", 100).put("total", 100),
            Json.object().put("ok", true).put("slot", "b").put("version", "2.0.0").put("securityVersion", 2));
    volatile Json.Obj activateAnswer = Json.object().put("ok", true).put("slot", "b");
    /** When set, requests get no answer at all. */
    volatile boolean silent;
    /** Called with each request before the answer; may change what the server answers. */
    volatile Function<Json.Obj, Void> onRequest = r -> null;

    private final ServerSocketChannel server;
    private final Thread acceptor;

    FakeBootServer(Path path) throws IOException {
        this.path = path;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        acceptor = new Thread(this::accept, "fake-boot-sock");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static Json.Obj slots(String booted, String primary, Json.Obj trial, String stateB, String versionB, String whyB) {
        return Json.object().put("ok", true).put("booted", booted).put("primary", primary).put("floor", 1).put("trial", trial)
                .put("slots", Json.array()
                        .add(Json.object().put("slot", "a").put("state", "good").put("version", "1.0.0").put("securityVersion", 1)
                                .put("manifestSha256", "aa").put("why", ""))
                        .add(Json.object().put("slot", "b").put("state", stateB).put("version", versionB).put("securityVersion", 2)
                                .put("manifestSha256", "bb").put("why", whyB)));
    }

    static Json.Obj trial(String slot, int attemptsLeft) {
        return Json.object().put("slot", slot).put("attemptsLeft", attemptsLeft);
    }

    List<String> commands() {
        List<String> r = new ArrayList<>();
        for (Json.Obj o : requests) {
            r.add(o.string("cmd"));
        }
        return r;
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> serve(ch), "fake-boot-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                return;
            }
            Json.Obj req = Json.parseObject(line);
            requests.add(req);
            onRequest.apply(req);
            if (silent) {
                in.readLine();
                return;
            }
            switch (req.string("cmd")) {
                case "slots" -> send(ch, slots);
                case "install" -> {
                    installedBytes.add(Files.readAllBytes(Path.of(req.string("file"))));
                    for (Json.Obj o : installAnswer) {
                        send(ch, o);
                    }
                }
                case "activate" -> send(ch, activateAnswer);
                default -> send(ch, Json.object().put("ok", false).put("error", "unknown command"));
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(SocketChannel ch, Json.Obj o) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((o.write() + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
