package org.voltkeep.charging;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: register it as a service and the link client calls it for
 * every status that differs from the one before (state, contactor, faults, limit,
 * session) and at least once per status period. Calls arrive on one thread in order;
 * listeners must not block.
 */
@ConsumerType
public interface ChargerStatusListener {
    void statusChanged(ChargerStatus previous, ChargerStatus current);
}
