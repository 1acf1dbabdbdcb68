package org.voltkeep.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One health check, registered as a service (whiteboard). The health command runs
 * every registered check when asked; a new slot on trial is committed only when
 * all of them pass.
 *
 * <p>A check must answer quickly (well under a second) and must not change
 * anything: it is asked repeatedly while a trial boot waits. A check that throws or
 * does not answer in time counts as failed.
 */
@ConsumerType
public interface HealthCheck {
    /** A short, stable name ("mqtt-connected"): 1..64 of A-Z a-z 0-9 . _ - */
    String name();

    HealthResult check();
}
