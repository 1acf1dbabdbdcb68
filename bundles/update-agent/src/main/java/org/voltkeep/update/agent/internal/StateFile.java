package org.voltkeep.update.agent.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.voltkeep.json.Json;
import org.voltkeep.update.json.UpdateStatusJson;

/**
 * {@code <downloadDir>/state.json}: the agent's state, so a restarted or rebooted
 * application domain knows an update was under way. Replaced atomically (new file,
 * fsync, rename, fsync of the directory): a crash leaves the old or the new state,
 * never half of one. Readers accept any {@code schemaVersion} ≥ 1 and ignore
 * unknown keys, so an image that was rolled back still reads what the newer one wrote.
 */
final class StateFile {
    static final String NAME = "state.json";
    static final int SCHEMA_VERSION = 1;
    private static final long MAX_BYTES = 64 * 1024;

    private final Path dir;

    StateFile(Path dir) {
        this.dir = dir;
    }

    Path path() {
        return dir.resolve(NAME);
    }

    /**
     * The saved state; empty when there is none.
     *
     * @throws IOException when the file is there but unreadable or damaged (the message says how)
     */
    Optional<AgentState> load() throws IOException {
        Path p = path();
        String text;
        try {
            if (Files.size(p) > MAX_BYTES) {
                throw new IOException(p + " is larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            Json.Obj o = Json.parseObject(text);
            long schema = o.integer("schemaVersion");
            if (schema < 1) {
                throw new IOException(p + ": schemaVersion " + schema + " is not valid");
            }
            Optional<AgentState.Resume> resume = Optional.empty();
            if (o.has("resume") && o.get("resume") instanceof Json.Obj r) {
                resume = Optional.of(new AgentState.Resume(r.string("url"), r.string("etag", ""), r.string("lastModified", ""),
                        r.integer("total", -1)));
            }
            return Optional.of(new AgentState(UpdateStatusJson.read(o.obj("update")), resume));
        } catch (IllegalArgumentException e) {
            throw new IOException(p + " is damaged: " + e.getMessage(), e);
        }
    }

    void save(AgentState state) throws IOException {
        Files.createDirectories(dir);
        Json.Obj o = Json.object().put("schemaVersion", SCHEMA_VERSION).put("update", UpdateStatusJson.write(state.status()));
        state.resume().ifPresent(r -> o.put("resume", Json.object().put("url", r.url()).put("etag", r.etag())
                .put("lastModified", r.lastModified()).put("total", r.total())));
        Path tmp = dir.resolve(NAME + ".tmp");
        // a stream, not a channel: the save must finish even on a thread that is being interrupted
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write(o.writePretty().getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        }
        try {
            Files.move(tmp, path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + path() + " atomically: " + e.getMessage(), e);
        }
        syncDirectory(dir);
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the file itself is already forced
        }
    }
}
