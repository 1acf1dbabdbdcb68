package org.voltkeep.update;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: register it as a service and the update agent calls it for
 * every status change (progress at most a few times per second). Calls come in
 * order on the agent's thread; listeners must not block.
 */
@ConsumerType
public interface UpdateStatusListener {
    void updateStatusChanged(UpdateStatus status);
}
