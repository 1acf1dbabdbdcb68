package org.voltkeep.rot.api;

/** The provisioning life cycle of a device's root of trust. */
public enum DeviceState {
    /** No committed root-of-trust material: may be provisioned. */
    UNPROVISIONED,
    /** Anchors installed, identity key generated, counters set: may boot. */
    PROVISIONED,
    /** Keys wiped at end of life; a marker stays so the device never boots as provisioned again. */
    DECOMMISSIONED
}
