package org.voltkeep.safety.internal;

/**
 * The one thing that decides a cycle's transition, classified from the snapshot in
 * this priority order (the first that holds wins). "Offer" means PWM may be on: a
 * vehicle connected, authorized, no fault, no stop, the effective limit at least 6 A,
 * and the link rules allow it. "Withheld" means the offer is withdrawn for a
 * non-fault reason (stop, limit, not yet authorized), which lets a closed contactor
 * wind down; "blocked" means a fault that clears by itself (over-temperature) or D
 * without ventilation, which opens at once.
 */
public enum CycleEvent {
    HARD_FAULT("a fault is latched that needs a reset or service (PERMANENT, UNTIL_RESET)"),
    PILOT_SHORT("CP_SHORT is latched"),
    UNPLUG_FAULT("another fault latched until unplug is present and the vehicle is still there"),
    NO_VEHICLE("pilot reads A"),
    B_NO_OFFER("pilot B, no offer"),
    B_OFFER("pilot B, offer allowed"),
    C_WITHHELD("pilot C, offer withheld (stop, limit < 6 A, not authorized, link STOP fallback)"),
    C_BLOCKED("pilot C, offer blocked by a fault that clears by itself"),
    C_OFFER("pilot C, offer allowed"),
    D_WITHHELD("pilot D with ventilation, offer withheld"),
    D_BLOCKED("pilot D without ventilation, or a fault that clears by itself"),
    D_OFFER("pilot D with ventilation, offer allowed");

    private final String meaning;

    CycleEvent(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
