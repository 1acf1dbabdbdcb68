package org.voltkeep.hal;

/** The control pilot: PWM generator and level measurement. */
public interface ControlPilot {
    /** Sets the output duty; takes effect at the next PWM period. */
    void setDuty(PwmDuty duty);

    /** The duty last set. */
    PwmDuty duty();

    /** The level measured on the pilot now. */
    CpState measuredState();
}
