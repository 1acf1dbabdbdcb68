package org.voltkeep.charging;

/** Whether the safety domain hears the application domain. */
public enum LinkState {
    /** Keep-alives arrive in time. */
    UP,
    /** Keep-alives stopped: safety applies its configured fallback. */
    SILENT_FALLBACK,
    /** Seen from the application domain: no connection to safety. */
    DISCONNECTED
}
