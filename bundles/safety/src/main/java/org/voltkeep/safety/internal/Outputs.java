package org.voltkeep.safety.internal;

import java.util.Objects;

import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;

/** What one cycle drives on the board. */
public record Outputs(PwmDuty pwm, boolean contactorClosed, boolean lockLocked, IndicatorState indicator) {
    public Outputs {
        Objects.requireNonNull(pwm, "pwm");
        Objects.requireNonNull(indicator, "indicator");
    }

    public Outputs withContactor(boolean closed) {
        return new Outputs(pwm, closed, lockLocked, indicator);
    }

    public Outputs withPwm(PwmDuty duty) {
        return new Outputs(duty, contactorClosed, lockLocked, indicator);
    }
}
