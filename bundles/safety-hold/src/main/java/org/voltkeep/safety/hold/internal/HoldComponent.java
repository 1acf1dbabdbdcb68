package org.voltkeep.safety.hold.internal;

import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.Board;
import org.voltkeep.safety.api.ChargeController;

/**
 * The DS component: validates the configuration, owns one {@link HoldController} for
 * the bound board and runs it from activation to deactivation. It registers the same
 * {@link ChargeController} service as the IEC 61851 controller of the product image,
 * so the link server and the simulator work with it unchanged.
 */
@Component(name = "org.voltkeep.safety.hold", configurationPid = "org.voltkeep.safety.hold",
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = ChargeController.class, immediate = true)
@Designate(ocd = Config.class)
public final class HoldComponent implements ChargeController {
    private final HoldController controller;

    @Activate
    public HoldComponent(@Reference(name = "board") Board board, Config config) {
        this.controller = new HoldController(board, HoldSettings.from(config), WallClock.system());
        controller.start();
    }

    @Deactivate
    void deactivate() {
        controller.close();
    }

    @Override
    public ChargerStatus status() {
        return controller.status();
    }

    @Override
    public Reply authorize(String idTag) {
        return controller.authorize(idTag);
    }

    @Override
    public Reply stop(StopReason reason) {
        return controller.stop(reason);
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        return controller.setLimit(request);
    }

    @Override
    public Reply clearLimit(String claimId) {
        return controller.clearLimit(claimId);
    }

    @Override
    public Reply resetFaults() {
        return controller.resetFaults();
    }

    @Override
    public void linkHeartbeat() {
        controller.linkHeartbeat();
    }

    @Override
    public void linkClosed() {
        controller.linkClosed();
    }

    @Override
    public void addStatusListener(Consumer<ChargerStatus> listener) {
        controller.addStatusListener(listener);
    }

    @Override
    public void removeStatusListener(Consumer<ChargerStatus> listener) {
        controller.removeStatusListener(listener);
    }
}
