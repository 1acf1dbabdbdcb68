package org.voltkeep.rot.api;

import java.util.Objects;

/**
 * What a root of trust is made of, for status lines and attestation reports.
 *
 * @param kind        the backend
 * @param description one line for people; a {@link BackendKind#SOFT} description always says
 *                    that it is a software, development-only backend
 */
public record BackendInfo(BackendKind kind, String description) {
    public BackendInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (description.isBlank()) {
            throw new IllegalArgumentException("backend description is blank");
        }
    }
}
