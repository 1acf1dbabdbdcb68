package org.voltkeep.data.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreRefusedException;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/**
 * {@code schema.json}: {@code {"store": "sessions", "major": 1, "minor": 0}}. Read
 * leniently (keys a newer version adds are ignored), like every data file.
 */
public final class SchemaFile {
    public static final String NAME = "schema.json";
    /** A few dozen bytes; anything this large is not a schema file. */
    static final int MAX_BYTES = 4096;

    private SchemaFile() {
    }

    /** The recorded version; empty when the store has no schema file (a store from before versions were recorded). */
    public static Optional<SchemaVersion> read(Path storeDir, String store) throws StoreRefusedException {
        Path file = storeDir.resolve(NAME);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw damaged(store, file, "larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (StoreRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw damaged(store, file, "unreadable: " + e);
        }
        try {
            Json.Obj o = Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
            String recordedStore = o.string("store");
            if (!recordedStore.equals(store)) {
                throw new StoreRefusedException(store, file, file + " belongs to data store '" + recordedStore
                        + "', not '" + store + "'; nothing was changed");
            }
            long major = o.integer("major", 1, Integer.MAX_VALUE);
            long minor = o.integer("minor", 0, Integer.MAX_VALUE);
            return Optional.of(new SchemaVersion((int) major, (int) minor));
        } catch (JsonException e) {
            throw damaged(store, file, e.getMessage());
        }
    }

    public static void write(Path storeDir, String store, SchemaVersion v) throws IOException {
        String text = Json.object().put("store", store).put("major", v.major()).put("minor", v.minor()).writePretty();
        StoreFiles.writeAtomically(storeDir.resolve(NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    private static StoreRefusedException damaged(String store, Path file, String why) {
        return new StoreRefusedException(store, file, file + " is damaged (" + why + "); nothing was changed");
    }
}
