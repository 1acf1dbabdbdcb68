package org.voltkeep.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/**
 * {@code DEVICE/run/boot.sock}: the launcher's JSON-lines socket for the update agent
 * (readable and writable by the launcher's user only). One request per line, one
 * answer per line, in order (see the launcher README for the protocol):
 *
 * <pre>
 * {"cmd":"slots"}                          → {"ok":true,"booted":"a","primary":"a","floor":1,"trial":null,"slots":[…]}
 * {"cmd":"install","file":"/abs/x.vkimg"}  → {"event":"progress","phase":"copying"|"verifying","done":N,"total":M} …
 *                                            then {"ok":true,"slot":"b","version":"2.0.0","securityVersion":2}
 *                                            or {"ok":false,"status":"InvalidSignature"|"InstallVerificationFailed"|"InstallationFailed","error":"…"}
 * {"cmd":"activate"}                       → {"ok":true,"slot":"b"}, then the launcher reboots into b on trial
 * </pre>
 *
 * A malformed request gets {@code {"ok":false,"error":"…"}} and changes nothing.
 */
final class BootSocket implements AutoCloseable {
    static final int MAX_LINE_BYTES = 16 * 1024;
    static final int MAX_CLIENTS = 4;

    private final Path path;
    private final Supervisor supervisor;
    private final Consumer<String> events;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private BootSocket(Path path, Supervisor supervisor, Consumer<String> events, ServerSocketChannel server) {
        this.path = path;
        this.supervisor = supervisor;
        this.events = events;
        this.server = server;
    }

    static BootSocket start(Path path, Supervisor supervisor, Consumer<String> events) throws IOException {
        BootSocket s = new BootSocket(path, supervisor, events, bind(path));
        Thread t = new Thread(s::acceptLoop, "voltkeep-boot-socket");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** A stale socket file of a dead launcher is removed; a live one (another launcher on this device) is an error. */
    private static ServerSocketChannel bind(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException(path + " exists and is not a socket; not removing it");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new IOException("another launcher runs this device (" + path + " answers)");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another launcher")) {
                    throw e;
                }
            }
            Files.delete(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw new IOException("cannot open " + path + ": " + e.getMessage(), e);
        }
        return s;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    events.accept("boot socket: " + e.getMessage());
                }
                return;
            }
            if (clients.size() >= MAX_CLIENTS) {
                try (SocketChannel busy = c) {
                    write(Channels.newOutputStream(busy), error("too many connections (at most " + MAX_CLIENTS + ")"));
                } catch (IOException e) {
                    // the refused client went away first
                }
                continue;
            }
            clients.add(c);
            Thread t = new Thread(() -> serve(c), "voltkeep-boot-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(c));
            OutputStream out = Channels.newOutputStream(c);
            while (!closed) {
                String line;
                try {
                    line = readLine(in);
                } catch (LineTooLong e) {
                    write(out, error(e.getMessage()));
                    return;
                }
                if (line == null) {
                    return;
                }
                if (!line.isBlank()) {
                    handle(line, out);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            clients.remove(c);
        }
    }

    private void handle(String line, OutputStream out) throws IOException {
        Json.Obj req;
        String cmd;
        try {
            req = Json.parseObject(line);
            cmd = req.string("cmd");
        } catch (JsonException e) {
            write(out, error("malformed request: " + e.getMessage()));
            return;
        }
        switch (cmd) {
            case "slots" -> {
                if (onlyKeys(req, out, "cmd")) {
                    try {
                        Json.Obj reply = Json.object().put("ok", true);
                        supervisor.slots().members().forEach(reply::put);
                        write(out, reply);
                    } catch (IOException e) {
                        write(out, error("cannot read the slots: " + e.getMessage()));
                    }
                }
            }
            case "install" -> {
                if (onlyKeys(req, out, "cmd", "file")) {
                    install(req, out);
                }
            }
            case "activate" -> {
                if (onlyKeys(req, out, "cmd")) {
                    activate(out);
                }
            }
            default -> write(out, error("$.cmd: unknown command '" + cmd + "' (known: slots, install, activate)"));
        }
    }

    private void install(Json.Obj req, OutputStream out) throws IOException {
        String file;
        try {
            file = req.string("file");
        } catch (JsonException e) {
            write(out, error(e.getMessage()));
            return;
        }
        if (file.isEmpty() || file.indexOf('\0') >= 0 || !file.startsWith("/")) {
            write(out, error("$.file: '" + file + "' is not an absolute path"));
            return;
        }
        long[] lastPercent = {-1};
        String[] lastPhase = {""};
        SlotStore.Progress progress = (phase, done, total) -> {
            long pct = total == 0 ? 100 : done * 100 / total;
            if (!phase.equals(lastPhase[0]) || pct != lastPercent[0]) {
                lastPhase[0] = phase;
                lastPercent[0] = pct;
                try {
                    write(out, Json.object().put("event", "progress").put("phase", phase).put("done", done).put("total", total));
                } catch (IOException e) {
                    // the client left; the install goes on and its result is in the boot state
                }
            }
        };
        try {
            SlotStore.Installed r = supervisor.install(Path.of(file), progress);
            events.accept("installed image " + r.image().version() + " into slot " + r.slot() + " (waiting for activation)");
            write(out, Json.object().put("ok", true).put("slot", r.slot().id()).put("version", r.image().version())
                    .put("securityVersion", r.image().securityVersion()));
        } catch (InstallRejected e) {
            events.accept("install of " + file + " refused (" + e.status().ocppName() + "): " + e.getMessage());
            write(out, Json.object().put("ok", false).put("status", e.status().ocppName()).put("error", e.getMessage()));
        }
    }

    private void activate(OutputStream out) throws IOException {
        Slot slot;
        try {
            slot = supervisor.activate();
        } catch (SlotStore.Refused | IOException e) {
            write(out, error("cannot activate: " + e.getMessage()));
            return;
        }
        try {
            write(out, Json.object().put("ok", true).put("slot", slot.id()));
        } finally {
            // recorded: the trial boot happens whether or not the client heard the answer
            supervisor.rebootForTrial(slot);
        }
    }

    private static boolean onlyKeys(Json.Obj req, OutputStream out, String... keys) throws IOException {
        try {
            req.onlyKeys(keys);
            return true;
        } catch (JsonException e) {
            write(out, error(e.getMessage()));
            return false;
        }
    }

    private static Json.Obj error(String message) {
        return Json.object().put("ok", false).put("error", message);
    }

    private static void write(OutputStream out, Json.Obj o) throws IOException {
        synchronized (out) {
            out.write((o.write() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static final class LineTooLong extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLong() {
            super("request longer than " + MAX_LINE_BYTES + " bytes");
        }
    }

    /** The next line (without its newline), null at end of stream; a line past the cap ends the connection. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return buf.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            if (buf.size() >= MAX_LINE_BYTES) {
                throw new LineTooLong();
            }
            buf.write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale socket file is removed at the next start
        }
    }
}
