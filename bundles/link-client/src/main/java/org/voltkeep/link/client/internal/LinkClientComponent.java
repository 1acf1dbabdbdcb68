package org.voltkeep.link.client.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;

/**
 * {@link ChargingService} for the application domain, backed by the link to
 * safety. Immediate, so the link is up and listeners get statuses even before
 * anyone calls the service. {@link ChargerStatusListener} services are picked up
 * whiteboard-style as they come and go.
 */
@Designate(ocd = Config.class)
@Component(configurationPid = "org.voltkeep.link.client", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = ChargingService.class)
public class LinkClientComponent implements ChargingService {
    static final String PEER_NAME = "voltkeep-app";

    // Bind methods of dynamic references may run before the constructor's client starts.
    private final List<ChargerStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final LinkClient client;

    @Activate
    public LinkClientComponent(Config config) {
        client = new LinkClient(LinkClientSettings.from(config), PEER_NAME, listeners);
        client.start();
    }

    @Deactivate
    void deactivate() {
        client.close();
    }

    @Reference(name = "statusListener", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeStatusListener")
    void addStatusListener(ChargerStatusListener listener) {
        listeners.add(listener);
    }

    void removeStatusListener(ChargerStatusListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Optional<ChargerStatus> status() {
        return client.status();
    }

    @Override
    public LinkState linkState() {
        return client.linkState();
    }

    @Override
    public Reply authorize(String idTag) {
        return client.authorize(idTag);
    }

    @Override
    public Reply stop(StopReason reason) {
        return client.stop(reason);
    }

    @Override
    public Reply setLimit(LimitRequest request) {
        return client.setLimit(request);
    }

    @Override
    public Reply clearLimit(String claimId) {
        return client.clearLimit(claimId);
    }

    @Override
    public Reply resetFaults() {
        return client.resetFaults();
    }
}
