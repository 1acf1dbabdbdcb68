package org.voltkeep.update.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.voltkeep.json.Json;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.json.BootSlotsJson;

/**
 * A client of the launcher's boot socket ({@code <run dir>/boot.sock}, JSON lines):
 * the launcher holds the root of trust and alone writes slots and the boot state, so
 * the agent asks it to install and to activate. One connection per request; each
 * line must come within the timeout (an install sends progress lines while it works).
 */
final class BootClient {
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** The launcher's verdict on an install. */
    sealed interface InstallResult permits Installed, Refused {
    }

    /** The image is in {@code slot}, verified. */
    record Installed(String slot, String version, long securityVersion) implements InstallResult {
    }

    /** Refused; {@code status} is InvalidSignature, InstallVerificationFailed or InstallationFailed. */
    record Refused(FirmwareStatus status, String error) implements InstallResult {
    }

    /** The boot socket is missing, silent, or answered something this client cannot read. */
    static final class BootException extends Exception {
        private static final long serialVersionUID = 1L;

        BootException(String message) {
            super(message);
        }
    }

    private final Path socket;
    private final Duration lineTimeout;

    BootClient(Path socket, Duration lineTimeout) {
        this.socket = socket;
        this.lineTimeout = lineTimeout;
    }

    Path socket() {
        return socket;
    }

    BootSlots slots() throws BootException, InterruptedException {
        try (Conversation c = open(Json.object().put("cmd", "slots"))) {
            Json.Obj reply = c.next();
            refusedIfNotOk(reply, "slots");
            try {
                return BootSlotsJson.read(reply);
            } catch (IllegalArgumentException e) {
                throw new BootException("the launcher's slots answer is not readable: " + e.getMessage());
            }
        }
    }

    /** Installs {@code file} into the slot that is not booted; progress lines go to {@code progress}. */
    InstallResult install(Path file, ProgressSink progress) throws BootException, InterruptedException {
        try (Conversation c = open(Json.object().put("cmd", "install").put("file", file.toAbsolutePath().toString()))) {
            while (true) {
                Json.Obj line = c.next();
                try {
                    if (line.has("event")) {
                        if ("progress".equals(line.string("event"))) {
                            progress.progress(line.string("phase", "install"), line.integer("done", 0), line.integer("total", -1));
                        }
                        continue;
                    }
                    if (line.bool("ok")) {
                        return new Installed(line.string("slot"), line.string("version"), line.integer("securityVersion"));
                    }
                    String error = line.string("error", "(no reason given)");
                    String status = line.string("status", "");
                    FirmwareStatus st = switch (status) {
                        case "InvalidSignature" -> FirmwareStatus.InvalidSignature;
                        case "InstallVerificationFailed" -> FirmwareStatus.InstallVerificationFailed;
                        case "InstallationFailed" -> FirmwareStatus.InstallationFailed;
                        default -> {
                            error = error + (status.isEmpty() ? "" : " (launcher status '" + status + "')");
                            yield FirmwareStatus.InstallationFailed;
                        }
                    };
                    return new Refused(st, error);
                } catch (IllegalArgumentException e) {
                    throw new BootException("the launcher's install answer is not readable: " + e.getMessage());
                }
            }
        }
    }

    /** Asks the launcher to boot the installed slot on trial; returns that slot. */
    String activate() throws BootException, InterruptedException {
        try (Conversation c = open(Json.object().put("cmd", "activate"))) {
            Json.Obj reply = c.next();
            refusedIfNotOk(reply, "activate");
            try {
                return reply.string("slot");
            } catch (IllegalArgumentException e) {
                throw new BootException("the launcher's activate answer is not readable: " + e.getMessage());
            }
        }
    }

    private static void refusedIfNotOk(Json.Obj reply, String what) throws BootException {
        boolean ok;
        try {
            ok = reply.bool("ok");
        } catch (IllegalArgumentException e) {
            throw new BootException("the launcher's " + what + " answer is not readable: " + e.getMessage());
        }
        if (!ok) {
            throw new BootException("the launcher refused " + what + ": " + reply.string("error", "(no reason given)"));
        }
    }

    private Conversation open(Json.Obj request) throws BootException {
        if (!Files.exists(socket)) {
            throw new BootException("the launcher's boot socket " + socket + " is not there (a launcher without update"
                    + " support, or this domain runs without a launcher)");
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new BootException("cannot open a socket: " + e.getMessage());
        }
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((request.write() + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.configureBlocking(false);
            return new Conversation(ch);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new BootException("the launcher's boot socket " + socket + " does not answer: " + e.getMessage());
        }
    }

    /** The answer lines of one request. */
    private final class Conversation implements AutoCloseable {
        private final SocketChannel ch;
        private final Selector selector;
        private final ByteBuffer buf = ByteBuffer.allocate(8192);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Conversation(SocketChannel ch) throws IOException {
            this.ch = ch;
            this.selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
            buf.flip();
        }

        /** The next line as an object, within the line timeout. */
        Json.Obj next() throws BootException, InterruptedException {
            long deadline = System.nanoTime() + lineTimeout.toNanos();
            try {
                while (true) {
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            String text = line.toString(StandardCharsets.UTF_8);
                            line.reset();
                            try {
                                return Json.parseObject(text);
                            } catch (IllegalArgumentException e) {
                                throw new BootException("the launcher sent a line that is not a JSON object: " + e.getMessage());
                            }
                        }
                        line.write(b);
                        if (line.size() > MAX_LINE_BYTES) {
                            throw new BootException("the launcher sent a line longer than " + MAX_LINE_BYTES + " bytes");
                        }
                    }
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new BootException("the launcher did not answer within " + lineTimeout.toMillis() + " ms");
                    }
                    selector.select(left);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("boot socket request interrupted");
                    }
                    selector.selectedKeys().clear();
                    buf.clear();
                    int n = ch.read(buf);
                    buf.flip();
                    if (n < 0) {
                        throw new BootException("the launcher closed the boot socket without an answer");
                    }
                }
            } catch (IOException e) {
                throw new BootException("the boot socket failed: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                selector.close();
                ch.close();
            } catch (IOException e) {
                // the request is over either way
            }
        }
    }
}
