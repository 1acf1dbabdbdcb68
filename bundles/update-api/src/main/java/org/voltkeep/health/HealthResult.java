package org.voltkeep.health;

import java.util.Objects;

/**
 * The outcome of one {@link HealthCheck}.
 *
 * @param passed whether the check passed
 * @param detail what was seen, in words a person reads ("link UP", "no status for 4.2 s")
 */
public record HealthResult(boolean passed, String detail) {
    public HealthResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static HealthResult pass(String detail) {
        return new HealthResult(true, detail);
    }

    public static HealthResult fail(String detail) {
        return new HealthResult(false, detail);
    }
}
