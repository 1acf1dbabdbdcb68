package org.voltkeep.sessions;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The sessions recorded on this device. */
@ProviderType
public interface SessionLog {

    /**
     * The latest ended sessions, newest first, at most {@code max} of them (and at
     * most as many as the recorder is configured to keep in memory).
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    List<SessionRecord> recent(int max);

    /** The session running now, with {@link SessionRecord#endReason()} empty. */
    Optional<SessionRecord> open();
}
