package org.voltkeep.update;

import java.time.Instant;
import java.util.Objects;

/**
 * One snapshot of an update.
 *
 * @param requestId       this update's id, made when it started
 * @param status          where it is
 * @param source          the source as requested ({@link UpdateSource#text()})
 * @param forced          a running session is stopped rather than waited for
 * @param version         the image version once the launcher installed it, "" before
 * @param securityVersion the image's security version once installed, 0 before
 * @param slot            the slot the image went into once installed, "" before
 * @param phase           what the byte counts measure: "download", "copying", "verifying", "" when none
 * @param bytesDone       bytes done in that phase
 * @param bytesTotal      bytes in that phase, -1 when not known
 * @param reason          why it is where it is, in words ("session 3 running: activates when the car is unplugged"),
 *                        "" when there is nothing to say
 * @param started         when the update was requested
 * @param updated         when this snapshot was made
 */
public record UpdateStatus(
        String requestId,
        FirmwareStatus status,
        String source,
        boolean forced,
        String version,
        long securityVersion,
        String slot,
        String phase,
        long bytesDone,
        long bytesTotal,
        String reason,
        Instant started,
        Instant updated) {

    public UpdateStatus {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(updated, "updated");
        if (bytesDone < 0 || bytesTotal < -1) {
            throw new IllegalArgumentException("byte counts " + bytesDone + "/" + bytesTotal + " out of range");
        }
    }

    /** A new update, {@link FirmwareStatus#Downloading} from nothing. */
    public static UpdateStatus begin(String requestId, UpdateRequest request, Instant now) {
        return new UpdateStatus(requestId, FirmwareStatus.Downloading, request.source().text(), request.force(), "", 0, "",
                "download", 0, -1, "", now, now);
    }

    public UpdateStatus withStatus(FirmwareStatus next, String why, Instant now) {
        return new UpdateStatus(requestId, next, source, forced, version, securityVersion, slot, phase, bytesDone, bytesTotal,
                why, started, now);
    }

    public UpdateStatus withProgress(String inPhase, long done, long total, Instant now) {
        return new UpdateStatus(requestId, status, source, forced, version, securityVersion, slot, inPhase, done, total, reason,
                started, now);
    }

    public UpdateStatus withInstalled(String inSlot, String imageVersion, long imageSecurityVersion, Instant now) {
        return new UpdateStatus(requestId, status, source, forced, imageVersion, imageSecurityVersion, inSlot, phase, bytesDone,
                bytesTotal, reason, started, now);
    }

    public UpdateStatus withForced(Instant now) {
        return new UpdateStatus(requestId, status, source, true, version, securityVersion, slot, phase, bytesDone, bytesTotal,
                reason, started, now);
    }
}
