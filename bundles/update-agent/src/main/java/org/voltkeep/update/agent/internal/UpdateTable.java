package org.voltkeep.update.agent.internal;

import static org.voltkeep.update.FirmwareStatus.DownloadFailed;
import static org.voltkeep.update.FirmwareStatus.Downloaded;
import static org.voltkeep.update.FirmwareStatus.Downloading;
import static org.voltkeep.update.FirmwareStatus.InstallRebooting;
import static org.voltkeep.update.FirmwareStatus.InstallScheduled;
import static org.voltkeep.update.FirmwareStatus.InstallVerificationFailed;
import static org.voltkeep.update.FirmwareStatus.Installed;
import static org.voltkeep.update.FirmwareStatus.InstallationFailed;
import static org.voltkeep.update.FirmwareStatus.Installing;
import static org.voltkeep.update.FirmwareStatus.InvalidSignature;
import static org.voltkeep.update.FirmwareStatus.SignatureVerified;

import java.util.List;
import java.util.Optional;

import org.voltkeep.update.FirmwareStatus;

/**
 * The update machine as one table: (status, event) → next status, and what the
 * agent does in the next status. Every pair not in the table is a bug and throws.
 * The README prints this table; {@code UpdateTableTest} has one test per row.
 */
final class UpdateTable {

    /** What happened in the step the agent ran for the current status. */
    enum Event {
        /** The whole image is in the download directory. */
        DOWNLOADED,
        /** The download failed for good (retries used up, or a failure no retry mends). */
        DOWNLOAD_FAILED,
        /** The launcher verified the image and put it into the other slot. */
        INSTALLED,
        /** The launcher refused a signature. */
        INVALID_SIGNATURE,
        /** The launcher refused the image for another verification reason (hardware, anti-rollback, hashes). */
        VERIFICATION_FAILED,
        /** Installing failed otherwise (I/O, boot socket missing or silent). */
        INSTALL_FAILED,
        /** No vehicle connected and no session: the slot may be activated. */
        CHARGER_IDLE,
        /** A session runs (or there is no status from safety) and the update is not forced: wait. */
        CHARGER_BUSY,
        /** Forced with a session: the stop is sent (or was), waiting for the contactor to open. */
        SESSION_STOPPING,
        /** Forced: safety reports the contactor open after the stop. */
        CONTACTOR_OPEN,
        /** Forced while there is no status from safety: the launcher's shutdown of safety opens the contactor. */
        FORCED_WITHOUT_STATUS,
        /** Forced: the contactor did not open within the stop timeout. */
        STOP_TIMED_OUT,
        /** The launcher accepted the activation (or, after a restart, is already booting or trying the slot). */
        ACTIVATED,
        /** The launcher refused the activation or could not be reached. */
        ACTIVATE_FAILED,
        /** The new slot runs on trial, or the launcher is about to restart into it: wait. */
        AWAITING_COMMIT,
        /** The new slot booted and the launcher committed it. */
        COMMITTED,
        /** The launcher rolled back: the new slot failed its trial (or was not booted). */
        ROLLED_BACK,
        /** The launcher accepted the activation but never restarted this domain. */
        REBOOT_TIMED_OUT
    }

    /** One row: in {@code from}, {@code event} leads to {@code to}; {@code then} is what the agent does next. */
    record Row(FirmwareStatus from, Event event, FirmwareStatus to, String then) {
    }

    static final List<Row> ROWS = List.of(
            new Row(Downloading, Event.DOWNLOADED, Downloaded, "ask the launcher to install the image (boot.sock install)"),
            new Row(Downloading, Event.DOWNLOAD_FAILED, DownloadFailed, "keep a partial https download for a later resume"),
            new Row(Downloaded, Event.INSTALLED, SignatureVerified, "look at the charger"),
            new Row(Downloaded, Event.INVALID_SIGNATURE, InvalidSignature, "delete the downloaded image"),
            new Row(Downloaded, Event.VERIFICATION_FAILED, InstallVerificationFailed, "delete the downloaded image"),
            new Row(Downloaded, Event.INSTALL_FAILED, InstallationFailed, "delete the downloaded image"),
            new Row(SignatureVerified, Event.CHARGER_IDLE, Installing, "activate the slot (boot.sock activate)"),
            new Row(SignatureVerified, Event.CHARGER_BUSY, InstallScheduled, "wait until the car is unplugged"),
            new Row(SignatureVerified, Event.SESSION_STOPPING, InstallScheduled, "stop the session, wait for the contactor to open"),
            new Row(SignatureVerified, Event.FORCED_WITHOUT_STATUS, Installing, "activate the slot"),
            new Row(InstallScheduled, Event.CHARGER_IDLE, Installing, "activate the slot"),
            new Row(InstallScheduled, Event.CHARGER_BUSY, InstallScheduled, "keep waiting (the reason says for what)"),
            new Row(InstallScheduled, Event.SESSION_STOPPING, InstallScheduled, "stop the session, wait for the contactor to open"),
            new Row(InstallScheduled, Event.CONTACTOR_OPEN, Installing, "activate the slot"),
            new Row(InstallScheduled, Event.FORCED_WITHOUT_STATUS, Installing, "activate the slot"),
            new Row(InstallScheduled, Event.STOP_TIMED_OUT, InstallationFailed, "leave the installed slot inactive"),
            new Row(Installing, Event.ACTIVATED, InstallRebooting, "wait for the restart, then for the commit"),
            new Row(Installing, Event.ACTIVATE_FAILED, InstallationFailed, "leave the installed slot inactive"),
            new Row(Installing, Event.ROLLED_BACK, InstallVerificationFailed, "report the launcher's reason"),
            new Row(InstallRebooting, Event.AWAITING_COMMIT, InstallRebooting, "ask the launcher again later"),
            new Row(InstallRebooting, Event.COMMITTED, Installed, "done"),
            new Row(InstallRebooting, Event.ROLLED_BACK, InstallVerificationFailed, "report the launcher's reason"),
            new Row(InstallRebooting, Event.REBOOT_TIMED_OUT, InstallationFailed, "report that the launcher did not restart"));

    private UpdateTable() {
    }

    static Optional<Row> row(FirmwareStatus from, Event event) {
        return ROWS.stream().filter(r -> r.from() == from && r.event() == event).findFirst();
    }

    /** @throws IllegalStateException for a pair the table does not have (a bug in the agent) */
    static FirmwareStatus next(FirmwareStatus from, Event event) {
        return row(from, event).map(Row::to)
                .orElseThrow(() -> new IllegalStateException("update machine: no transition from " + from + " on " + event));
    }
}
