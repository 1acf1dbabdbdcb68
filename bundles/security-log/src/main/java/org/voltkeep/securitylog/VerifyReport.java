package org.voltkeep.securitylog;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.voltkeep.json.Json;

/**
 * What {@link SecurityLog#verify(Path)} found.
 *
 * @param file       the log file
 * @param records    records whose chain holds, counted from the start up to the first break
 * @param lastSeq    seq of the last of those records, 0 when there is none
 * @param lastHash   hash of the last of those records, 64 zeros when there is none; report it
 *                   off the device, so that a later truncation of the log can be noticed
 * @param tornTail   the file ends in a partial line (an interrupted write); expected after a
 *                   power cut, not counted as a break, and dropped by the next append
 * @param firstBreak the first record where the chain does not hold, if any
 */
public record VerifyReport(Path file, long records, long lastSeq, String lastHash, boolean tornTail,
        Optional<ChainBreak> firstBreak) {

    public VerifyReport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lastHash, "lastHash");
        Objects.requireNonNull(firstBreak, "firstBreak");
    }

    /** True when every complete record chains to the one before it. */
    public boolean ok() {
        return firstBreak.isEmpty();
    }

    /** One line for people, e.g. for {@code voltkeep log verify}. */
    public String summary() {
        String tail = tornTail ? " (a partial last line from an interrupted write is ignored)" : "";
        return firstBreak
                .map(b -> file + ": chain broken at line " + b.line() + " (" + b.problem() + "): " + b.message()
                        + "; " + records + " records before it are intact" + tail)
                .orElseGet(() -> file + ": " + records + " records, chain intact, last seq " + lastSeq
                        + ", head " + lastHash + tail);
    }

    public Json.Obj toJson() {
        Json.Obj o = Json.object()
                .put("file", file.toString())
                .put("ok", ok())
                .put("records", records)
                .put("lastSeq", lastSeq)
                .put("lastHash", lastHash)
                .put("tornTail", tornTail);
        firstBreak.ifPresent(b -> o.put("firstBreak", b.toJson()));
        return o;
    }
}
