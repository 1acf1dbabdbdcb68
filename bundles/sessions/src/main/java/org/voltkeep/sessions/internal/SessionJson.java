package org.voltkeep.sessions.internal;

import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.sessions.SessionRecord;

/**
 * The file forms of a session. The store's version is in its {@code schema.json}
 * ({@link #SCHEMA}); each record and the saved running session also carry the
 * store's major as {@code schemaVersion}. A reader takes records of its own major
 * and ignores fields it does not know: a newer minor only adds fields, so an image
 * rolled back to an older one still reads what the newer one wrote. A field added by
 * a minor must be optional for readers, because an older image keeps appending
 * records without it.
 */
final class SessionJson {
    /** Version 1.0: the records and the saved running session as below. */
    static final StoreSchema SCHEMA = StoreSchema.of("sessions", SchemaVersion.of(1, 0));
    static final int SCHEMA_VERSION = SCHEMA.current().major();

    private SessionJson() {
    }

    static Json.Obj write(SessionRecord r) {
        Json.Obj o = Json.object().put("schemaVersion", SCHEMA_VERSION);
        r.toJson().members().forEach(o::put);
        return o;
    }

    static SessionRecord readRecord(Json.Obj o) {
        schema(o);
        try {
            return new SessionRecord(
                    o.integer("sessionId"),
                    o.integer("startBoardMillis"),
                    o.integer("endBoardMillis"),
                    o.integer("energyWh"),
                    (int) o.integer("peakCurrentMilliamps", 0, Integer.MAX_VALUE),
                    o.string("idTag"),
                    o.string("endReason"),
                    faults(o));
        } catch (JsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JsonException("$: " + e.getMessage());
        }
    }

    static Json.Obj write(OpenSession s) {
        return Json.object()
                .put("schemaVersion", SCHEMA_VERSION)
                .put("sessionId", s.sessionId())
                .put("startBoardMillis", s.startBoardMillis())
                .put("lastBoardMillis", s.lastBoardMillis())
                .put("energyWh", s.energyWh())
                .put("peakCurrentMilliamps", s.peakCurrentMilliamps())
                .put("idTag", s.idTag())
                .put("faults", faults(s.faults()))
                .put("lastState", s.lastState())
                .put("stopCause", s.stopCause());
    }

    static OpenSession readOpen(Json.Obj o) {
        schema(o);
        try {
            return new OpenSession(
                    o.integer("sessionId"),
                    o.integer("startBoardMillis"),
                    o.integer("lastBoardMillis"),
                    o.integer("energyWh", 0, Long.MAX_VALUE),
                    (int) o.integer("peakCurrentMilliamps", 0, Integer.MAX_VALUE),
                    o.string("idTag"),
                    faults(o),
                    o.string("lastState"),
                    o.string("stopCause"));
        } catch (JsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JsonException("$: " + e.getMessage());
        }
    }

    private static void schema(Json.Obj o) {
        long major = o.integer("schemaVersion");
        if (major != SCHEMA_VERSION) {
            throw new JsonException(o.path("schemaVersion") + ": major version " + major + " is not the " + SCHEMA_VERSION
                    + " this image reads");
        }
    }

    private static Json.Arr faults(Set<String> faults) {
        Json.Arr a = Json.array();
        new TreeSet<>(faults).forEach(a::add);
        return a;
    }

    private static Set<String> faults(Json.Obj o) {
        Json.Arr a = o.arr("faults");
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.string(i));
        }
        return out;
    }
}
