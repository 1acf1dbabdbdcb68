package org.voltkeep.integration.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.voltkeep.json.Json;

/** Runs the voltkeep command line of this build as a user would, and talks to its sockets. */
final class Voltkeep {
    record Result(int exitCode, String stdout, String stderr) {
        Json.Obj json() {
            return Json.parseObject(stdout);
        }
    }

    static Path root() {
        String r = System.getProperty("voltkeep.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("runtime-config"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (runtime-config/)");
        }
        return p;
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvoltkeep.home=" + root(), "-jar", root().resolve("launcher/target/voltkeep-launcher.jar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to its end (or fails the test after the timeout). */
    static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, Map.of(), args);
    }

    /** Runs a command with extra environment variables (a token's SOFTHSM2_CONF). */
    static Result run(Duration timeout, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("voltkeep-out", ".txt");
        Path err = Files.createTempFile("voltkeep-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("voltkeep " + String.join(" ", args) + " did not finish within " + timeout
                        + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts a long-running command (run) with its output in a file. */
    static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A JSON-lines connection to one of the device's control sockets. */
    static final class Lines implements AutoCloseable {
        private final SocketChannel channel;
        private final BufferedReader in;

        Lines(Path socket, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            SocketChannel ch = null;
            while (ch == null) {
                SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(UnixDomainSocketAddress.of(socket));
                    ch = attempt;
                } catch (IOException e) {
                    attempt.close();
                    if (System.nanoTime() > deadline) {
                        throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
                    }
                    Thread.sleep(50);
                }
            }
            channel = ch;
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        }

        void send(Json.Obj o) throws IOException {
            ByteBuffer b = ByteBuffer.wrap((o.write() + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        Json.Obj read() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("socket closed");
            }
            return Json.parseObject(line);
        }

        Json.Obj call(Json.Obj o) throws IOException {
            send(o);
            Json.Obj r;
            do {
                r = read();
            } while (r.has("event"));
            return r;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
