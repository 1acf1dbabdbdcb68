package org.voltkeep.update.json;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateStatus;

/**
 * Writes and reads {@link UpdateStatus} as a JSON object; times as ISO-8601 UTC.
 * Readers ignore keys they do not know, so a rolled-back image still reads what a
 * newer one wrote.
 */
public final class UpdateStatusJson {
    private UpdateStatusJson() {
    }

    public static Json.Obj write(UpdateStatus s) {
        return Json.object()
                .put("requestId", s.requestId())
                .put("status", s.status())
                .put("source", s.source())
                .put("forced", s.forced())
                .put("version", s.version())
                .put("securityVersion", s.securityVersion())
                .put("slot", s.slot())
                .put("phase", s.phase())
                .put("bytesDone", s.bytesDone())
                .put("bytesTotal", s.bytesTotal())
                .put("reason", s.reason())
                .put("started", s.started().toString())
                .put("updated", s.updated().toString());
    }

    /** @throws JsonException naming the key that is missing or wrong */
    public static UpdateStatus read(Json.Obj o) {
        try {
            return new UpdateStatus(
                    o.string("requestId"),
                    o.enumValue("status", FirmwareStatus.class),
                    o.string("source"),
                    o.bool("forced"),
                    o.string("version"),
                    o.integer("securityVersion"),
                    o.string("slot"),
                    o.string("phase"),
                    o.integer("bytesDone"),
                    o.integer("bytesTotal"),
                    o.string("reason"),
                    instant(o, "started"),
                    instant(o, "updated"));
        } catch (IllegalArgumentException e) {
            if (e instanceof JsonException je) {
                throw je;
            }
            throw new JsonException(o.path("status") + ": " + e.getMessage());
        }
    }

    private static Instant instant(Json.Obj o, String key) {
        String s = o.string(key);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new JsonException(o.path(key) + ": '" + s + "' is not an ISO-8601 instant");
        }
    }
}
