package org.voltkeep.shell.internal;

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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for the simulator's control socket: records each request line and answers with a fixed line (or not at all). */
final class FakeSimulator implements AutoCloseable {
    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();

    /** @param answer the line to send back, or null to never answer */
    FakeSimulator(Path socket, String answer) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> serve(answer), "fake-sim");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(String answer) {
        try {
            while (true) {
                SocketChannel c = server.accept();
                clients.add(c);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line != null) {
                    received.add(line);
                }
                if (answer != null) {
                    c.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
                    c.close();
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : clients) {
            c.close();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
