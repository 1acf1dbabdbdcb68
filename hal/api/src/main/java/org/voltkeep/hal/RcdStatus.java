package org.voltkeep.hal;

/** What the residual current monitor reports. */
public enum RcdStatus {
    /** No residual current above the trip thresholds. */
    OK,
    /** 6 mA smooth DC residual current (IEC 62955 RDC-DD). */
    TRIPPED_DC_6MA,
    /** 30 mA AC residual current. */
    TRIPPED_AC_30MA;

    public boolean tripped() {
        return this != OK;
    }
}
