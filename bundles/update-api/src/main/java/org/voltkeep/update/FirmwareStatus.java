package org.voltkeep.update;

/**
 * Where an update is, named exactly as OCPP's FirmwareStatus so that a status
 * notification carries {@link #name()} unchanged (hence the constants are not in
 * upper case).
 *
 * <pre>
 * Downloading → Downloaded → SignatureVerified → [InstallScheduled] → Installing → InstallRebooting → Installed
 *      ↘ DownloadFailed  ↘ InvalidSignature           ↘ InstallationFailed      ↘ InstallationFailed  ↘ InstallVerificationFailed
 *                        ↘ InstallVerificationFailed
 *                        ↘ InstallationFailed
 * </pre>
 */
public enum FirmwareStatus {
    /** The image is being fetched into the download directory. */
    Downloading,
    /** The whole image is here; the launcher is installing it into the other slot. */
    Downloaded,
    /** The image could not be fetched (the reason says why). Final. */
    DownloadFailed,
    /** The launcher verified the image and installed it into the other slot; not active yet. */
    SignatureVerified,
    /** The launcher refused the image's signature or a bundle's signature. Final. */
    InvalidSignature,
    /** Installed, waiting until no charging session runs (or a forced update is stopping the session). */
    InstallScheduled,
    /** The launcher is being asked to activate the installed slot. */
    Installing,
    /** The launcher accepted the activation: the charger restarts into the new slot on trial. */
    InstallRebooting,
    /** The new slot booted, passed its health check and was committed. Final. */
    Installed,
    /**
     * The image failed verification at install (hardware, anti-rollback, hashes), or
     * the new slot failed its trial boot and the launcher rolled back. Final.
     */
    InstallVerificationFailed,
    /** Installing or activating failed for another reason (I/O, launcher unreachable, contactor stuck). Final. */
    InstallationFailed;

    /** No further status follows by itself: a new update may start. */
    public boolean terminal() {
        return switch (this) {
            case DownloadFailed, InvalidSignature, Installed, InstallVerificationFailed, InstallationFailed -> true;
            default -> false;
        };
    }

    /** A terminal status that is not {@link #Installed}. */
    public boolean failed() {
        return terminal() && this != Installed;
    }
}
