package org.voltkeep.hal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.IndicatorState;
import org.voltkeep.hal.MeterReading;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;

class SimulatedBoardTest {
    private final Rig rig = new Rig();
    private final SimulatedBoard board = rig.board;

    @Test
    void powersUpSafe() {
        assertThat(board.kind()).isEqualTo("sim");
        assertThat(board.contactor().commandedClosed()).isFalse();
        assertThat(board.contactor().feedbackClosed()).isFalse();
        assertThat(board.controlPilot().duty()).isEqualTo(PwmDuty.STATIC_HIGH);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.A);
        assertThat(board.cableLock().feedbackLocked()).isFalse();
        assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.NONE);
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(25.0);
        assertThat(board.rcdMonitor().status()).isEqualTo(RcdStatus.OK);
        assertThat(board.rcdMonitor().selfTest()).isTrue();
        assertThat(board.watchdog().expired()).isFalse();
        assertThat(board.clock().millis()).isZero();
        assertThat(board.hardwareRating()).isEqualTo(Current.ofAmps(32));
        assertThat(board.meter().read().totalPower().watts()).isZero();
    }

    @Test
    void refusesAHardwareRatingBelowSixAmps() {
        assertThatThrownBy(() -> new SimulatedBoard(new SimClock(), Current.ofAmps(5)))
                .hasMessageContaining("hardware rating 5.0 A");
    }

    @Test
    void plugInShowsBAndTheCable() {
        board.plugIn(EvProfile.standard(), CableRating.A20);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.A20);
        assertThat(board.ev().plugged()).isTrue();
        assertThat(board.ev().socPercent()).isEqualTo(50.0);
        assertThat(rig.kinds()).containsExactly(SimEvent.Kind.PLUGGED);
        assertThatThrownBy(() -> board.plugIn(EvProfile.standard(), CableRating.A20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already plugged");
    }

    @Test
    void carGoesToCOnlyAfterItsReactionTime() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.offer(16);
        rig.step(499);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        rig.step(1);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
        assertThat(rig.kinds()).contains(SimEvent.Kind.EV_READY);
        // No current without closed contacts.
        assertThat(board.ev().drawingMilliamps()).isZero();
    }

    @Test
    void carWithoutPwmStaysInB() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        rig.step(10_000);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
    }

    @Test
    void drawsTheLowerOfOfferAndItsMaximum() {
        rig.charge(EvProfile.standard(), 32);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(16_000);
        MeterReading r = board.meter().read();
        assertThat(r.phases()).hasSize(3);
        assertThat(r.maxPhaseCurrent().milliamps()).isEqualTo(16_000);
        assertThat(r.totalPower().watts()).isEqualTo(3 * 230 * 16);

        Rig other = new Rig();
        other.charge(EvProfile.standard(), 10);
        assertThat(other.board.ev().drawingMilliamps()).isEqualTo(Rig.offeredMilliamps(10));
    }

    @Test
    void singlePhaseCarLoadsOnePhase() {
        rig.charge(Rig.bigBattery(32, 1), 20);
        MeterReading r = rig.board.meter().read();
        assertThat(r.phases().get(0).current().milliamps()).isEqualTo(Rig.offeredMilliamps(20));
        assertThat(r.phases().get(1).current().milliamps()).isZero();
        assertThat(r.phases().get(2).current().milliamps()).isZero();
    }

    @Test
    void rampsDownToALowerOfferWithinItsReactionTime() {
        rig.charge(EvProfile.standard(), 16);
        rig.offer(10);
        rig.step(250);
        int halfway = board.ev().drawingMilliamps();
        assertThat(halfway).isStrictlyBetween(Rig.offeredMilliamps(10), Rig.offeredMilliamps(16));
        rig.step(250);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(Rig.offeredMilliamps(10));
        rig.offer(16);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(Rig.offeredMilliamps(16));
    }

    @Test
    void stopsDrawingWhenThePwmStopsAndGoesBackToB() {
        rig.charge(EvProfile.standard(), 16);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        assertThat(board.ev().drawingMilliamps()).isZero();
        rig.step(499);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
        rig.step(1);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        assertThat(rig.kinds()).contains(SimEvent.Kind.EV_STANDBY);
    }

    @Test
    void staticMinusTwelveVoltsIsStateFAndTheCarDrawsNothing() {
        rig.charge(EvProfile.standard(), 16);
        board.controlPilot().setDuty(PwmDuty.STATIC_LOW);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.F);
        assertThat(board.ev().drawingMilliamps()).isZero();
        rig.step(1000);
        assertThat(board.ev().pilot()).isEqualTo(CpState.B);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
    }

    @Test
    void goesFromCToBWhenFull() {
        EvProfile small = new EvProfile("small", 16_000, 3, 100, 90, 100, true, false, 500);
        rig.charge(small, 16);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
        // 10 Wh at 11040 W take about 3.3 s.
        rig.step(3000);
        assertThat(board.ev().full()).isFalse();
        rig.step(500);
        assertThat(board.ev().full()).isTrue();
        assertThat(board.ev().drawingMilliamps()).isZero();
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        assertThat(rig.kinds()).contains(SimEvent.Kind.EV_FULL);
        assertThat(board.ev().socPercent()).isGreaterThanOrEqualTo(100.0);
        // A full car does not come back for more.
        rig.step(10_000);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
    }

    @Test
    void pausesAndResumes() {
        rig.charge(EvProfile.standard(), 16);
        board.evPause(true);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        assertThat(board.ev().drawingMilliamps()).isZero();
        assertThat(board.ev().paused()).isTrue();
        rig.step(5000);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        board.evPause(false);
        rig.step(499);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        rig.step(1);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(Rig.offeredMilliamps(16));
        assertThat(rig.events).filteredOn(e -> e.kind() == SimEvent.Kind.EV_PAUSED).extracting(SimEvent::detail)
                .containsExactly("paused", "resumed");
    }

    @Test
    void resumeWithoutPwmStaysInB() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        board.evPause(true);
        board.evPause(false);
        rig.step(2000);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        assertThatThrownBy(() -> new Rig().board.evPause(true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no EV");
    }

    @Test
    void unplugStopsCurrentAtOnce() {
        rig.charge(EvProfile.standard(), 16);
        board.unplug();
        assertThat(board.ev().drawingMilliamps()).isZero();
        assertThat(board.ev().plugged()).isFalse();
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.A);
        assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.NONE);
        assertThat(board.meter().read().maxPhaseCurrent().milliamps()).isZero();
        assertThat(rig.kinds()).contains(SimEvent.Kind.UNPLUGGED);
    }

    @Test
    void ventilationCarAsksForD() {
        EvProfile vent = new EvProfile("vent", 16_000, 3, 4000, 50, 100, true, true, 300);
        rig.charge(vent, 16);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.D);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(Rig.offeredMilliamps(16));
    }

    @Test
    void meterIntegratesSixteenAmpsOnThreePhasesForAnHour() {
        rig.charge(Rig.bigBattery(16, 3), 32);
        long before = board.meter().read().importedEnergy().wattHours();
        board.step(Duration.ofHours(1));
        long wh = board.meter().read().importedEnergy().wattHours() - before;
        assertThat((double) wh).isCloseTo(11_040.0, within(110.4));
        // 11040 Wh into 100 kWh is 11.04 % more charge.
        assertThat(board.ev().socPercent()).isCloseTo(10 + 11.04, within(0.2));
    }

    @Test
    void meterReportsWholeWattHoursAndKeepsTheFraction() {
        rig.charge(Rig.bigBattery(16, 3), 32);
        double start = board.importedWattHoursExact();
        // 11040 W for 0.1 s = 0.3067 Wh each: whole Wh appear only after enough steps.
        for (int i = 0; i < 10; i++) {
            rig.step(100);
        }
        assertThat(board.importedWattHoursExact() - start).isCloseTo(3.0667, within(0.01));
        assertThat(board.meter().read().importedEnergy().wattHours()).isEqualTo((long) Math.floor(board.importedWattHoursExact()));
    }

    @Test
    void negativeStepsAreRefused() {
        assertThatThrownBy(() -> board.step(Duration.ofMillis(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> rig.clock.advance(Duration.ofMillis(-1))).hasMessageContaining("negative");
    }

    @Test
    void lockFeedbackFollowsTheCommand() {
        board.cableLock().command(true);
        assertThat(board.cableLock().feedbackLocked()).isFalse();
        rig.step(SimulatedBoard.CONTACTOR_TRAVEL_MILLIS);
        assertThat(board.cableLock().feedbackLocked()).isTrue();
        board.indicator().show(IndicatorState.CHARGING);
        assertThat(board.indicator().showing()).isEqualTo(IndicatorState.CHARGING);
    }

    @Test
    void ambientTemperatureIsReadAtOnce() {
        board.setAmbientTemperature(org.voltkeep.hal.Temperature.ofCelsius(-5));
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(-5.0);
        board.setAmbientTemperature(org.voltkeep.hal.Temperature.ofCelsius(40));
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(40.0);
    }

    @Test
    void stepsInSubStepsSoShortDelaysLandExactly() {
        board.contactor().command(true);
        // One big step still sees the feedback change at exactly 20 ms.
        rig.step(1000);
        SimEvent fb = rig.events.stream().filter(e -> e.kind() == SimEvent.Kind.CONTACTOR_FEEDBACK).findFirst().orElseThrow();
        assertThat(fb.boardMillis()).isEqualTo(SimulatedBoard.CONTACTOR_TRAVEL_MILLIS);
        assertThat(board.clock().millis()).isEqualTo(1000);
    }
}
