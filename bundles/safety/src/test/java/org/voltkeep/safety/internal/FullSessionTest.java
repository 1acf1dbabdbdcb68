package org.voltkeep.safety.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.sim.EvProfile;

/** A whole session on the simulated board, from plug-in to unplug. */
class FullSessionTest {

    @Test
    void plug_authorize_charge_until_full_then_unplug() {
        SimRig rig = new SimRig(SafetyConfig.defaults());
        EvProfile ev = EvProfile.standard();

        ChargerStatus idle = rig.cycle();
        assertThat(idle.state()).isEqualTo(ChargerState.A);
        assertThat(idle.selfTestPassed()).isTrue();
        assertThat(rig.board.watchdogArmed()).isTrue();

        rig.board.plugIn(ev, CableRating.A32);
        ChargerStatus plugged = rig.cycle();
        assertThat(plugged.state()).isEqualTo(ChargerState.B1);
        assertThat(plugged.sessionId()).isNotZero();
        assertThat(plugged.sessionStartMillis()).isEqualTo(rig.now());
        assertThat(plugged.cableMilliamps()).isEqualTo(32_000);
        long meterAtStart = plugged.meterEnergyWh();

        assertThat(rig.ctl.authorize("card-42").accepted()).isTrue();
        ChargerStatus offered = rig.cycle();
        assertThat(offered.state()).isEqualTo(ChargerState.B2);
        Current limit = Current.ofAmps(32);
        assertThat(offered.pwmPermille()).isEqualTo(PwmDuty.forCurrent(limit).permille());
        long offerAt = rig.now();
        assertThat(rig.board.cableLock().feedbackLocked()).isFalse();
        rig.run(SimRigConstants.TRAVEL_MILLIS);
        assertThat(rig.board.cableLock().feedbackLocked()).isTrue();

        // The EV answers after its reaction time; the contactor closes in that same cycle.
        rig.runUntil(s -> s.state() == ChargerState.C2, 2 * ev.reactionMillis());
        assertThat(rig.now() - offerAt).isBetween((long) ev.reactionMillis() - SimRig.STEP_MILLIS,
                (long) ev.reactionMillis() + SimRig.STEP_MILLIS);
        assertThat(rig.status().contactorCommanded()).isTrue();
        rig.run(SimRigConstants.TRAVEL_MILLIS + SimRig.STEP_MILLIS);
        ChargerStatus drawing = rig.status();
        int expectedMa = Math.min(ev.maxCurrentMilliamps(), PwmDuty.forCurrent(limit).offeredCurrent().milliamps());
        assertThat(drawing.contactorFeedback()).isTrue();
        assertThat(drawing.currentMilliamps()).isEqualTo(expectedMa);
        // hardware, cable and configuration all say 32 A: a tie goes to the source listed first
        assertThat(drawing.limitMilliamps()).isEqualTo(limit.milliamps());
        assertThat(drawing.limitSource()).isEqualTo(LimitSource.HARDWARE);

        // A lower request: the car follows min(EV max, limit).
        assertThat(rig.ctl.setLimit(new LimitRequest("app", 50, 10_000, Duration.ofHours(1))).accepted()).isTrue();
        rig.run(ev.reactionMillis() + 2 * SimRig.STEP_MILLIS);
        ChargerStatus limited = rig.status();
        assertThat(limited.limitMilliamps()).isEqualTo(10_000);
        assertThat(limited.limitSource()).isEqualTo(LimitSource.REQUEST);
        int offered10 = PwmDuty.forCurrent(Current.ofAmps(10)).offeredCurrent().milliamps();
        assertThat(limited.currentMilliamps()).isEqualTo(Math.min(ev.maxCurrentMilliamps(), offered10));
        assertThat(rig.ctl.clearLimit("app").accepted()).isTrue();

        // Charge until the car is full: it goes to B and the contactor opens in that cycle.
        rig.runUntil(s -> s.state() != ChargerState.C2, 3_600_000, 50);
        ChargerStatus full = rig.status();
        assertThat(rig.board.ev().full()).isTrue();
        assertThat(full.state()).isEqualTo(ChargerState.B2);
        assertThat(full.contactorCommanded()).isFalse();
        assertThat(full.activeFaults()).isEmpty();
        rig.run(SimRigConstants.TRAVEL_MILLIS);
        assertThat(rig.status().contactorFeedback()).isFalse();

        double expectedWh = ev.batteryWh() * (ev.targetSocPercent() - ev.initialSocPercent()) / 100.0;
        long sessionWh = rig.status().sessionEnergyWh();
        assertThat((double) sessionWh).isCloseTo(expectedWh, within(expectedWh * 0.01 + 1));
        assertThat(sessionWh).isEqualTo(rig.status().meterEnergyWh() - meterAtStart);

        long session = rig.status().sessionId();
        rig.board.unplug();
        ChargerStatus gone = rig.cycle();
        assertThat(gone.state()).isEqualTo(ChargerState.A);
        assertThat(gone.sessionId()).isZero();
        assertThat(gone.authorized()).isFalse();
        rig.run(SimRigConstants.TRAVEL_MILLIS);
        assertThat(rig.board.cableLock().feedbackLocked()).isFalse();

        rig.board.plugIn(ev, CableRating.A32);
        assertThat(rig.cycle().sessionId()).isNotEqualTo(session).isNotZero();
        assertThat(rig.status().state()).as("a new session needs a new authorization").isEqualTo(ChargerState.B1);
    }

    @Test
    void the_cable_and_the_hardware_cap_the_offer() {
        SimRig rig = new SimRig(SafetyConfig.defaults(), Current.ofAmps(16));
        rig.cycle();
        rig.board.plugIn(EvProfile.standard(), CableRating.A13);
        rig.ctl.authorize("t");
        ChargerStatus s = rig.cycle();
        assertThat(s.limitMilliamps()).isEqualTo(13_000);
        assertThat(s.limitSource()).isEqualTo(LimitSource.CABLE);
        assertThat(s.pwmPermille()).isEqualTo(PwmDuty.forCurrent(Current.ofAmps(13)).permille());
    }
}
