package org.voltkeep.securitylog;

import java.io.IOException;

import org.voltkeep.json.Json;

/**
 * Where components report security events. {@link SecurityLog} is the real one;
 * tests of other modules can pass a fake that collects what it is given.
 */
public interface SecurityEventSink {

    /**
     * Records an event durably (on the storage device when this returns).
     *
     * @param techInfo structured details, or {@code null} for none
     * @return the record as written
     */
    SecurityRecord append(SecurityEvent event, String detail, Json.Obj techInfo) throws IOException;

    default SecurityRecord append(SecurityEvent event, String detail) throws IOException {
        return append(event, detail, null);
    }
}
