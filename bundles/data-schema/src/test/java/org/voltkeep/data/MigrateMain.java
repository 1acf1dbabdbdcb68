package org.voltkeep.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.voltkeep.json.Json;

/**
 * Opens a ledger store at major 3 in its own process and cuts the process dead
 * ({@link Runtime#halt}: no finally blocks, no shutdown hooks, like a power cut
 * as far as this process is concerned) at the point named by its second argument.
 * Exit code {@value #HALTED} when it halted there.
 */
public final class MigrateMain {
    static final int HALTED = 77;

    private MigrateMain() {
    }

    public static void main(String[] args) throws IOException {
        Path store = Path.of(args[0]);
        String haltAt = args[1];
        Migration twoToThree = Migration.of(2, 3, (source, target) -> {
            if (haltAt.equals("inside-step-2-3")) {
                // half the output written, then the power goes
                List<String> lines = Files.readAllLines(source.resolve("records.jsonl"));
                StringBuilder half = new StringBuilder();
                for (String line : lines.subList(0, lines.size() / 2)) {
                    Json.Obj o = Json.parseObject(line);
                    half.append(Json.object().put("sessionId", o.string("id"))
                            .put("energy", Json.object().put("wh", o.integer("energyWh"))).write()).append('\n');
                }
                Files.writeString(target.resolve("records.jsonl"), half);
                Runtime.getRuntime().halt(HALTED);
            }
            Ledger.TWO_TO_THREE.migrate(source, target);
        });
        StoreSchema v3 = StoreSchema.of(Ledger.STORE, SchemaVersion.of(3, 0), Ledger.ONE_TO_TWO, twoToThree);
        DataStore.open(store, v3, change -> {
            String point = switch (change.kind()) {
                case KEPT -> "after-kept-" + change.version().major();
                case MIGRATED -> "after-migrated-to-" + change.version().major();
                default -> "";
            };
            if (point.equals(haltAt)) {
                Runtime.getRuntime().halt(HALTED);
            }
        });
    }
}
