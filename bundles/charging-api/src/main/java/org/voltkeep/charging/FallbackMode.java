package org.voltkeep.charging;

/** What safety does when the link falls silent. Never "keep what was last asked". */
public enum FallbackMode {
    /** Drop every request and finish the session at the configured safe current. */
    SAFE_CURRENT,
    /** Stop the session. */
    STOP
}
