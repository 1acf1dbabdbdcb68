package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.PwmDuty;

/** Drives {@link SafetyLogic#cycle} step by step, feeding back the outputs like an ideal board. */
final class PureRun {
    final SafetyConfig cfg;
    ControllerState state;
    Outputs out = new Outputs(PwmDuty.STATIC_HIGH, false, false, IndicatorState.IDLE);
    Decision decision;
    final List<SafetyEvent> events = new ArrayList<>();

    PureRun(SafetyConfig cfg) {
        this.cfg = cfg;
        this.state = Fixtures.idle(0);
    }

    /** A snapshot whose pilot duty and contactor (command and feedback) are what the last cycle wrote. */
    Fixtures.In in(long boardMillis) {
        return Fixtures.in(boardMillis).pwm(out.pwm()).contactor(out.contactorClosed());
    }

    PureRun step(Fixtures.In in) {
        return step(in, Requests.none(LinkState.UP));
    }

    PureRun step(Fixtures.In in, Requests r) {
        SafetyLogic.CycleResult res = SafetyLogic.cycle(state, in.build(), r, cfg);
        assertThat(res.guardViolations()).as("guard corrections").isEmpty();
        state = res.next();
        out = res.outputs();
        decision = res.decision();
        events.addAll(res.decision().events());
        return this;
    }

    <T extends SafetyEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
