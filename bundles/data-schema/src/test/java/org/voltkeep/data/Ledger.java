package org.voltkeep.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.voltkeep.json.Json;

/**
 * A small store in three majors, standing in for a real store's history, with a
 * reader and a writer for each major written independently of the migrations.
 *
 * <pre>
 * 1: records.txt    "id wh" per line
 * 2: records.jsonl  {"id":"…","energyWh":N}
 * 3: records.jsonl  {"sessionId":"…","energy":{"wh":N}}   (fields renamed: a breaking change)
 * </pre>
 */
final class Ledger {
    static final String STORE = "ledger";

    record Entry(String id, long wh) {
    }

    static final Migration ONE_TO_TWO = Migration.of(1, 2, (source, target) -> {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(source.resolve("records.txt"))) {
            if (!line.isBlank()) {
                String[] f = line.split(" ");
                out.add(Json.object().put("id", f[0]).put("energyWh", Long.parseLong(f[1])).write());
            }
        }
        Files.write(target.resolve("records.jsonl"), out);
    });

    static final Migration TWO_TO_THREE = Migration.of(2, 3, (source, target) -> {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(source.resolve("records.jsonl"))) {
            Json.Obj o = Json.parseObject(line);
            out.add(Json.object().put("sessionId", o.string("id"))
                    .put("energy", Json.object().put("wh", o.integer("energyWh"))).write());
        }
        Files.write(target.resolve("records.jsonl"), out);
    });

    static final StoreSchema V1 = StoreSchema.of(STORE, SchemaVersion.of(1, 0));
    static final StoreSchema V2 = StoreSchema.of(STORE, SchemaVersion.of(2, 0), ONE_TO_TWO);
    static final StoreSchema V3 = StoreSchema.of(STORE, SchemaVersion.of(3, 0), ONE_TO_TWO, TWO_TO_THREE);

    private Ledger() {
    }

    static List<Entry> entries(int count, int fromId) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Entry("s" + (fromId + i), 1000L + 7L * (fromId + i)));
        }
        return out;
    }

    static void append(int major, Path dir, List<Entry> entries) throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            switch (major) {
                case 1 -> sb.append(e.id()).append(' ').append(e.wh());
                case 2 -> sb.append(Json.object().put("id", e.id()).put("energyWh", e.wh()).write());
                case 3 -> sb.append(Json.object().put("sessionId", e.id()).put("energy", Json.object().put("wh", e.wh())).write());
                default -> throw new IllegalArgumentException("major " + major);
            }
            sb.append('\n');
        }
        Files.writeString(dir.resolve(major == 1 ? "records.txt" : "records.jsonl"), sb, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<Entry> read(int major, Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        Path file = dir.resolve(major == 1 ? "records.txt" : "records.jsonl");
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            switch (major) {
                case 1 -> {
                    String[] f = line.split(" ");
                    out.add(new Entry(f[0], Long.parseLong(f[1])));
                }
                case 2 -> {
                    Json.Obj o = Json.parseObject(line);
                    out.add(new Entry(o.string("id"), o.integer("energyWh")));
                }
                case 3 -> {
                    Json.Obj o = Json.parseObject(line);
                    out.add(new Entry(o.string("sessionId"), o.obj("energy").integer("wh")));
                }
                default -> throw new IllegalArgumentException("major " + major);
            }
        }
        return out;
    }

    /** A store of major 1 as today's code leaves it: records and its schema file. */
    static void makeV1(Path dir, List<Entry> entries) throws IOException {
        DataStore.open(dir, V1, StoreListener.NONE);
        append(1, dir, entries);
    }
}
