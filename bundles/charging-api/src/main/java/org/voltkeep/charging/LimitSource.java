package org.voltkeep.charging;

/** Which constraint set the effective current limit. */
public enum LimitSource {
    HARDWARE, CABLE, CONFIGURED, THERMAL_DERATING, LINK_FALLBACK, REQUEST, NONE
}
