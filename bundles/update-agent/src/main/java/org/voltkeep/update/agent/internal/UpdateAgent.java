package org.voltkeep.update.agent.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.UpdateStatusListener;

/**
 * The update agent as a component. Immediate, so an update that was under way when
 * the domain stopped (or rebooted into the new slot) goes on at once. The charging
 * service is optional: without it the agent still downloads and installs, and an
 * update waits (or, forced, relies on the launcher stopping safety first).
 */
@Component(
        configurationPid = UpdateAgent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = UpdateService.class)
@Designate(ocd = Config.class)
public final class UpdateAgent implements UpdateService {
    static final String PID = "org.voltkeep.update.agent";
    private static final Logger LOG = LoggerFactory.getLogger(UpdateAgent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingService charging;

    // bind methods of dynamic references may run before activation
    private final List<UpdateStatusListener> listeners = new CopyOnWriteArrayList<>();
    private volatile UpdateEngine engine;

    @Activate
    void activate(Config config, BundleContext context) {
        AgentSettings settings = AgentSettings.from(config, context::getProperty);
        UpdateEngine e = new UpdateEngine(settings, () -> charging, this::tell, Clock.systemUTC());
        engine = e;
        e.open();
        LOG.info("update agent ready: downloads in {}, launcher at {}", settings.downloadDir(), settings.bootSocket());
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(name = "statusListener", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(UpdateStatusListener l) {
        listeners.add(l);
    }

    void removeListener(UpdateStatusListener l) {
        listeners.remove(l);
    }

    private void tell(UpdateStatus s) {
        for (UpdateStatusListener l : listeners) {
            try {
                l.updateStatusChanged(s);
            } catch (RuntimeException e) {
                LOG.warn("update status listener {} failed: {}", l, e.toString(), e);
            }
        }
    }

    @Override
    public UpdateStatus start(UpdateRequest request) throws UpdateException {
        return engine.start(request);
    }

    @Override
    public Optional<UpdateStatus> status() {
        return engine.status();
    }

    @Override
    public BootSlots slots() throws UpdateException {
        return engine.slots();
    }
}
