package org.voltkeep.update;

import java.util.Objects;

/**
 * What to install and how urgently.
 *
 * @param source where the image comes from
 * @param force  activate even while a charging session runs: the session is stopped
 *               first (safety opens the contactor), then the new slot is activated.
 *               Without it the update waits in {@link FirmwareStatus#InstallScheduled}
 *               until the car is unplugged.
 */
public record UpdateRequest(UpdateSource source, boolean force) {
    public UpdateRequest {
        Objects.requireNonNull(source, "source");
    }

    /** @throws IllegalArgumentException when the source text is not acceptable (see {@link UpdateSource#parse}) */
    public static UpdateRequest of(String source, boolean force) {
        return new UpdateRequest(UpdateSource.parse(source), force);
    }
}
