package org.voltkeep.sessions.internal;

import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.sessions.SessionRecord;

/**
 * The file forms of a session. Both carry {@code schemaVersion}; a reader accepts
 * any version from 1 up and reads the fields it knows, so that an image rolled
 * back to an older version still reads records a newer one wrote (versions only
 * ever add fields).
 */
final class SessionJson {
    static final int SCHEMA_VERSION = 1;

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
        o.integer("schemaVersion", SCHEMA_VERSION, Integer.MAX_VALUE);
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
