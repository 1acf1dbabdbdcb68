package org.voltkeep.securitylog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.voltkeep.json.Json;
import org.voltkeep.securitylog.internal.RecordCodec;

/**
 * One record of the security log, as written: one JSON line
 * {@code {"seq":..,"time":..,"event":..,"detail":..,"techInfo":{..},"prev":..,"hash":..}}
 * ({@code techInfo} only when present; keys a newer minor version adds come right
 * before {@code prev} and are kept as {@link #extensions()}).
 *
 * <p>{@code hash} is the SHA-256 (lowercase hex) of the record's canonical form
 * without {@code hash}: the compact JSON of {@link Json#write()} with the keys in
 * the order above, in UTF-8. {@code prev} is the {@code hash} of the record before
 * it, 64 zeros for the first one. So changing, removing or moving any record
 * breaks the chain at that record.
 *
 * @param seq      1 for the first record, then one more per record
 * @param time     when it was appended (UTC; written with millisecond precision)
 * @param event    the event name as written; see {@link #knownEvent()}
 * @param detail   human-readable text, possibly empty
 * @param techInfo optional structured details
 * @param prev     hash of the previous record
 * @param hash     hash of this record
 * @param extensions keys a newer version of the log added, in their order (empty for records this version writes);
 *                 covered by the hash, so they are read and written back as they were
 */
public record SecurityRecord(long seq, Instant time, String event, String detail, Optional<Json.Obj> techInfo,
        String prev, String hash, Json.Obj extensions) {

    /** A record without keys of a newer version: every record this version writes. */
    public SecurityRecord(long seq, Instant time, String event, String detail, Optional<Json.Obj> techInfo, String prev,
            String hash) {
        this(seq, time, event, detail, techInfo, prev, hash, Json.object());
    }

    public SecurityRecord {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        if (event.isEmpty()) {
            throw new IllegalArgumentException("event name is empty");
        }
        Objects.requireNonNull(detail, "detail");
        techInfo = Objects.requireNonNull(techInfo, "techInfo").map(RecordCodec::copy);
        RecordCodec.requireHash("prev", prev);
        RecordCodec.requireHash("hash", hash);
        extensions = RecordCodec.copy(Objects.requireNonNull(extensions, "extensions"));
    }

    /** A copy, so a caller cannot change what the record holds. */
    @Override
    public Optional<Json.Obj> techInfo() {
        return techInfo.map(RecordCodec::copy);
    }

    /** A copy, so a caller cannot change what the record holds. */
    @Override
    public Json.Obj extensions() {
        return RecordCodec.copy(extensions);
    }

    /** The event, when this version knows its name. */
    public Optional<SecurityEvent> knownEvent() {
        return SecurityEvent.byName(event);
    }

    /** Unknown names (written by a newer image) count as critical: better reported than lost. */
    public boolean critical() {
        return knownEvent().map(SecurityEvent::critical).orElse(true);
    }

    /** Value equality; {@link Json.Obj} itself compares by identity, so techInfo compares by its written form. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SecurityRecord r && seq == r.seq && time.equals(r.time) && event.equals(r.event)
                && detail.equals(r.detail) && techInfo.map(Json::write).equals(r.techInfo.map(Json::write))
                && prev.equals(r.prev) && hash.equals(r.hash) && extensions.write().equals(r.extensions.write());
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, time, event, detail, techInfo.map(Json::write), prev, hash, extensions.write());
    }

    /** The record as written in the log, {@code hash} included. */
    public Json.Obj toJson() {
        return RecordCodec.toJson(this);
    }
}
