package org.voltkeep.hal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.CpState;
import org.voltkeep.hal.PwmDuty;
import org.voltkeep.hal.RcdStatus;
import org.voltkeep.hal.Temperature;

class SimFaultTest {
    private final Rig rig = new Rig();
    private final SimulatedBoard board = rig.board;

    @Test
    void rcdFaultsTripTheMonitorAndFailTheSelfTest() {
        board.inject(SimFault.RCD_DC_6MA);
        assertThat(board.rcdMonitor().status()).isEqualTo(RcdStatus.TRIPPED_DC_6MA);
        assertThat(board.rcdMonitor().selfTest()).isFalse();
        board.clear(SimFault.RCD_DC_6MA);
        assertThat(board.rcdMonitor().status()).isEqualTo(RcdStatus.OK);
        assertThat(board.rcdMonitor().selfTest()).isTrue();
        board.inject(SimFault.RCD_AC_30MA);
        assertThat(board.rcdMonitor().status()).isEqualTo(RcdStatus.TRIPPED_AC_30MA);
        assertThat(board.rcdMonitor().selfTest()).isFalse();
    }

    @Test
    void cpShortMeasuresEAndTheCarStopsDrawing() {
        rig.charge(EvProfile.standard(), 16);
        board.inject(SimFault.CP_SHORT);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.E);
        // With the pilot shorted the car sees no PWM: it stops drawing.
        assertThat(board.ev().drawingMilliamps()).isZero();
        board.clear(SimFault.CP_SHORT);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
    }

    @Test
    void cpShortWithoutACarAlsoMeasuresE() {
        board.inject(SimFault.CP_SHORT);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.E);
    }

    @Test
    void missingDiodeMeasuresFOnlyWhileThePwmOscillates() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        board.inject(SimFault.DIODE_MISSING);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
        rig.offer(16);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.F);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.B);
    }

    @Test
    void carWithoutDiodeBehavesLikeTheDiodeFault() {
        EvProfile noDiode = new EvProfile("no-diode", 16_000, 3, 4000, 50, 100, false, false, 500);
        board.plugIn(noDiode, CableRating.A32);
        rig.offer(16);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.F);
    }

    @Test
    void ppRemovedReadsNoCableWhileThePilotStaysConnected() {
        rig.charge(EvProfile.standard(), 16);
        board.inject(SimFault.PP_REMOVED);
        assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.NONE);
        assertThat(board.controlPilot().measuredState()).isEqualTo(CpState.C);
        board.clear(SimFault.PP_REMOVED);
        assertThat(board.proximityPilot().cableRating()).isEqualTo(CableRating.A32);
    }

    @Test
    void overTemperatureHeatsWhileCurrentFlowsUpToNinetyFiveThenCools() {
        rig.charge(EvProfile.standard(), 16);
        board.inject(SimFault.OVER_TEMPERATURE);
        rig.step(10_000);
        assertThat(board.temperatureSensor().temperature().celsius()).isCloseTo(45.0, org.assertj.core.api.Assertions.within(0.2));
        rig.step(60_000);
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(95.0);
        board.clear(SimFault.OVER_TEMPERATURE);
        rig.step(10_000);
        assertThat(board.temperatureSensor().temperature().celsius()).isCloseTo(85.0, org.assertj.core.api.Assertions.within(0.2));
        rig.step(120_000);
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(25.0);
    }

    @Test
    void overTemperatureDoesNotHeatWithoutCurrent() {
        board.plugIn(EvProfile.standard(), CableRating.A32);
        board.inject(SimFault.OVER_TEMPERATURE);
        rig.step(30_000);
        assertThat(board.temperatureSensor().temperature().celsius()).isEqualTo(25.0);
    }

    @Test
    void contactorFeedbackFollowsTheCommandAfterItsTravelTime() {
        board.contactor().command(true);
        assertThat(board.contactor().commandedClosed()).isTrue();
        rig.step(19);
        assertThat(board.contactor().feedbackClosed()).isFalse();
        rig.step(1);
        assertThat(board.contactor().feedbackClosed()).isTrue();
        board.contactor().command(false);
        rig.step(19);
        assertThat(board.contactor().feedbackClosed()).isTrue();
        rig.step(1);
        assertThat(board.contactor().feedbackClosed()).isFalse();
    }

    @Test
    void weldedContactorStaysClosedAfterAnOpenCommand() {
        rig.charge(EvProfile.standard(), 16);
        board.inject(SimFault.CONTACTOR_WELDED);
        board.controlPilot().setDuty(PwmDuty.STATIC_HIGH);
        board.contactor().command(false);
        rig.step(1000);
        assertThat(board.contactor().commandedClosed()).isFalse();
        assertThat(board.contactor().feedbackClosed()).isTrue();
        // The PWM stopped, so the car draws nothing even through welded contacts.
        assertThat(board.ev().drawingMilliamps()).isZero();
        board.clear(SimFault.CONTACTOR_WELDED);
        rig.step(20);
        assertThat(board.contactor().feedbackClosed()).isFalse();
    }

    @Test
    void weldInjectedWhileOpenWeldsAtTheNextClosing() {
        board.inject(SimFault.CONTACTOR_WELDED);
        board.contactor().command(true);
        rig.step(20);
        board.contactor().command(false);
        rig.step(500);
        assertThat(board.contactor().feedbackClosed()).isTrue();
    }

    @Test
    void carStillDrawsThroughWeldedContactsWhileThePwmOffers() {
        rig.charge(EvProfile.standard(), 32);
        board.inject(SimFault.CONTACTOR_WELDED);
        board.contactor().command(false);
        rig.step(100);
        assertThat(board.ev().drawingMilliamps()).isEqualTo(16_000);
    }

    @Test
    void contactorThatDoesNotCloseStaysOpen() {
        board.inject(SimFault.CONTACTOR_NO_CLOSE);
        board.contactor().command(true);
        rig.step(1000);
        assertThat(board.contactor().feedbackClosed()).isFalse();
        board.clear(SimFault.CONTACTOR_NO_CLOSE);
        rig.step(20);
        assertThat(board.contactor().feedbackClosed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SimFault.class)
    void everyFaultIsReportedInjectedAndCleared(SimFault f) {
        board.inject(f);
        board.inject(f);
        assertThat(board.activeFaults()).containsExactly(f);
        board.clear(f);
        assertThat(board.activeFaults()).isEmpty();
        assertThat(rig.events).extracting(SimEvent::kind)
                .containsExactly(SimEvent.Kind.FAULT_INJECTED, SimEvent.Kind.FAULT_CLEARED);
        assertThat(rig.events).extracting(SimEvent::detail).containsOnly(f.name());
    }

    @Test
    void faultsThatChangeInputsAtOnceDoSo() {
        for (SimFault f : EnumSet.allOf(SimFault.class)) {
            Rig r = new Rig();
            r.charge(EvProfile.standard(), 16);
            long before = r.board.inputChanges();
            r.board.inject(f);
            assertThat(r.board.inputChanges() != before).as(f.name()).isEqualTo(f.affectsInputsAtOnce());
        }
    }

    @Test
    void activeFaultsIsASnapshot() {
        board.inject(SimFault.CP_SHORT);
        var snapshot = board.activeFaults();
        board.clear(SimFault.CP_SHORT);
        assertThat(snapshot).containsExactly(SimFault.CP_SHORT);
        board.setAmbientTemperature(Temperature.ofCelsius(30));
        assertThat(board.activeFaults()).isEmpty();
    }
}
