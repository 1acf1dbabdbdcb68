package org.voltkeep.update;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The update agent of the application domain. One update at a time; it goes on by
 * itself (download, install through the launcher, wait for the charger to be idle,
 * activate) and survives restarts of the domain: after the reboot into the new slot
 * the status becomes {@link FirmwareStatus#Installed} or
 * {@link FirmwareStatus#InstallVerificationFailed}.
 *
 * <p>Invariant: a new slot is never activated while a charging session runs unless
 * the request was forced, and a forced update stops the session and waits until
 * safety reports the contactor open before it activates.
 */
@ProviderType
public interface UpdateService {

    /**
     * Starts an update and returns its first status at once; the work goes on in the
     * background. A forced request with the same source as the update under way
     * forces that one (while it has not begun activating) instead of starting another.
     *
     * @throws UpdateException when another update is under way, or the source is
     *                         unusable right now (a missing or oversized file)
     */
    UpdateStatus start(UpdateRequest request) throws UpdateException;

    /** The current or latest update, empty when this device never had one. */
    Optional<UpdateStatus> status();

    /** The launcher's slots: which booted, which is primary, which is on trial. */
    BootSlots slots() throws UpdateException;
}
