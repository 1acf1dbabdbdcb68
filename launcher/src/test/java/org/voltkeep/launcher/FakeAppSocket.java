package org.voltkeep.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.voltkeep.json.Json;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.json.UpdateStatusJson;

/**
 * The application domain's control socket as far as {@code voltkeep update} uses it:
 * update-install answers with the first status, each update-status with the next
 * scripted one (the last one repeats). After {@link #closeAfter} statuses the server
 * closes, as a domain that stops for a restart.
 */
final class FakeAppSocket implements AutoCloseable {
    final Path path;
    final List<Json.Obj> requests = new CopyOnWriteArrayList<>();
    private final Deque<UpdateStatus> script;
    private final Json.Obj installAnswer;
    private final int closeAfter;
    private final ServerSocketChannel server;
    private int served;
    /** update-status answers "no update agent" this many times first, as a domain that is starting. */
    volatile int agentMissing;

    FakeAppSocket(Path path, Json.Obj installAnswer, List<UpdateStatus> statuses, int closeAfter) throws IOException {
        this.path = path;
        this.installAnswer = installAnswer;
        this.script = new ArrayDeque<>(statuses);
        this.closeAfter = closeAfter;
        Files.createDirectories(path.getParent());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread t = new Thread(this::accept, "fake-app-sock");
        t.setDaemon(true);
        t.start();
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "fake-app-client");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                Json.Obj req = Json.parseObject(line);
                requests.add(req);
                Json.Obj answer;
                synchronized (this) {
                    if (req.string("cmd").equals("update-install")) {
                        answer = installAnswer;
                    } else if (agentMissing > 0) {
                        agentMissing--;
                        answer = Json.object().put("ok", false).put("code", "NOT_CONNECTED").put("error", "no update agent in this domain");
                    } else {
                        if (closeAfter >= 0 && served >= closeAfter) {
                            close();
                            return;
                        }
                        UpdateStatus s = script.size() > 1 ? script.poll() : script.peek();
                        served++;
                        answer = Json.object().put("ok", true).put("update", s == null ? null : UpdateStatusJson.write(s));
                    }
                }
                ch.write(ByteBuffer.wrap((answer.write() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            // client gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
