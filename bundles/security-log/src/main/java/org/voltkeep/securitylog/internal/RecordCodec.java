package org.voltkeep.securitylog.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.securitylog.SecurityRecord;

/**
 * The one place that knows how a record is written, hashed and read back. The
 * canonical form is what {@link Json#write()} makes of the keys in {@link #KEYS}
 * order; a line in the file must be exactly that form, so the bytes on disk are
 * the bytes that were hashed.
 *
 * <p>Keys a newer minor version of the log adds go right before {@code prev}
 * (after {@code techInfo} when present). This version reads them as
 * {@link SecurityRecord#extensions()}: they are hashed and written back as they
 * were, so records a newer image wrote verify and chain here too.
 */
public final class RecordCodec {
    public static final String ZERO_HASH = "0".repeat(64);
    /** Keys in the order they are written; {@code techInfo} may be absent. */
    static final List<String> KEYS = List.of("seq", "time", "event", "detail", "techInfo", "prev", "hash");
    private static final List<String> LEADING = KEYS.subList(0, 4);
    private static final String ORDER = "seq, time, event, detail, [techInfo], [keys a newer version adds], prev, hash";
    /** OCPP caps an event type at 50 characters. */
    public static final int MAX_EVENT_CHARS = 50;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private RecordCodec() {
    }

    /** A line that is not a record, with the reason. */
    public static final class RecordFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        RecordFormatException(String message) {
            super(message);
        }
    }

    /**
     * A line read back: the record and the hash its content really has.
     *
     * @param record       the record as written (its {@code hash} is the stored one)
     * @param computedHash SHA-256 of its canonical form without {@code hash}
     */
    public record Decoded(SecurityRecord record, String computedHash) {
        public boolean hashMatches() {
            return computedHash.equals(record.hash());
        }
    }

    public static String formatTime(Instant t) {
        return TIME.format(t);
    }

    /** The canonical object without {@code hash}: what the hash covers. */
    public static Json.Obj body(long seq, String time, String event, String detail, Optional<Json.Obj> techInfo,
            Json.Obj extensions, String prev) {
        Json.Obj o = Json.object().put("seq", seq).put("time", time).put("event", event).put("detail", detail);
        techInfo.ifPresent(t -> o.put("techInfo", copy(t)));
        copy(extensions).members().forEach(o::put);
        return o.put("prev", prev);
    }

    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    public static String hashOf(Json.Obj body) {
        return sha256Hex(body.write().getBytes(StandardCharsets.UTF_8));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Builds a new record that follows {@code prev}; the returned record carries its hash. */
    public static SecurityRecord create(long seq, Instant time, String event, String detail,
            Optional<Json.Obj> techInfo, String prev) {
        String timeText = formatTime(time);
        Json.Obj body = body(seq, timeText, event, detail, techInfo, Json.object(), prev);
        // the record keeps the instant as written (millisecond precision), so it equals what is read back
        return new SecurityRecord(seq, Instant.parse(timeText), event, detail, techInfo, prev, hashOf(body));
    }

    public static Json.Obj toJson(SecurityRecord r) {
        return body(r.seq(), formatTime(r.time()), r.event(), r.detail(), r.techInfo(), r.extensions(), r.prev())
                .put("hash", r.hash());
    }

    /** The line as written to the file, without its newline. */
    public static String line(SecurityRecord r) {
        return toJson(r).write();
    }

    /**
     * Reads one line strictly: the known keys in their order (keys a newer version
     * adds only right before {@code prev}), the right types, and the canonical form.
     * The hash is not judged here, only computed.
     */
    public static Decoded decode(String line) throws RecordFormatException {
        Json.Obj o;
        try {
            o = Json.parseObject(line);
        } catch (JsonException e) {
            throw new RecordFormatException("not a JSON object: " + e.getMessage());
        }
        List<String> keys = new ArrayList<>(o.members().keySet());
        int n = keys.size();
        if (n < 6 || !keys.subList(0, 4).equals(LEADING) || !keys.get(n - 2).equals("prev") || !keys.get(n - 1).equals("hash")) {
            throw new RecordFormatException("keys " + keys + " are not in the order " + ORDER);
        }
        List<String> middle = keys.subList(4, n - 2);
        boolean hasTechInfo = !middle.isEmpty() && middle.get(0).equals("techInfo");
        List<String> added = middle.subList(hasTechInfo ? 1 : 0, middle.size());
        Json.Obj extensions = Json.object();
        for (String k : added) {
            if (KEYS.contains(k)) {
                throw new RecordFormatException("keys " + keys + " are not in the order " + ORDER);
            }
            extensions.put(k, o.get(k));
        }
        try {
            long seq = o.integer("seq");
            if (seq < 1) {
                throw new RecordFormatException("$.seq: " + seq + " is below 1");
            }
            String timeText = o.string("time");
            Instant time;
            try {
                time = Instant.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new RecordFormatException("$.time: '" + timeText + "' is not an ISO-8601 UTC time");
            }
            String event = o.string("event");
            if (event.isEmpty() || event.length() > MAX_EVENT_CHARS) {
                throw new RecordFormatException("$.event: name must have 1.." + MAX_EVENT_CHARS + " characters");
            }
            String detail = o.string("detail");
            Optional<Json.Obj> techInfo = hasTechInfo ? Optional.of(o.obj("techInfo")) : Optional.empty();
            String prev = o.string("prev");
            String hash = o.string("hash");
            if (!isHash(prev)) {
                throw new RecordFormatException("$.prev: not 64 lowercase hex digits");
            }
            if (!isHash(hash)) {
                throw new RecordFormatException("$.hash: not 64 lowercase hex digits");
            }
            if (!o.write().equals(line)) {
                throw new RecordFormatException("not in canonical form (spacing, number or escape style changed)");
            }
            Json.Obj body = body(seq, timeText, event, detail, techInfo, extensions, prev);
            SecurityRecord r = new SecurityRecord(seq, time, event, detail, techInfo, prev, hash, extensions);
            return new Decoded(r, hashOf(body));
        } catch (JsonException e) {
            throw new RecordFormatException(e.getMessage());
        }
    }

    public static boolean isHash(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    public static void requireHash(String what, String s) {
        if (!isHash(s)) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex digits (a SHA-256), was '" + s + "'");
        }
    }

    /** A deep copy: {@link Json.Obj} is mutable and records must not share one. */
    public static Json.Obj copy(Json.Obj o) {
        return Json.parseObject(o.write());
    }
}
