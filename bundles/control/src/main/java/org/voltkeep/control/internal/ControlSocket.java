package org.voltkeep.control.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

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
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.sessions.SessionLog;

/**
 * The control socket as a component. It is itself the status listener that
 * feeds every watching client. Both services are optional: the socket answers
 * {@code ping} and {@code status} (link DISCONNECTED) even while the link client
 * is down, which is exactly when someone wants to ask.
 */
@Component(
        configurationPid = ControlSocket.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = ChargerStatusListener.class)
@Designate(ocd = Config.class)
public final class ControlSocket implements ChargerStatusListener {
    static final String PID = "org.voltkeep.control";
    static final String RUN_DIR_PROPERTY = "voltkeep.run.dir";
    static final String DOMAIN_PROPERTY = "voltkeep.domain";
    static final String DEFAULT_SOCKET = "app.sock";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingService charging;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionLog sessions;

    private volatile ControlServer server;

    @Activate
    void activate(Config config, BundleContext context) throws IOException {
        String domain = context.getProperty(DOMAIN_PROPERTY);
        CommandHandler handler = new CommandHandler(() -> charging, () -> sessions, domain == null ? "app" : domain);
        server = new ControlServer(socketPath(config, context), handler, this::currentStatus, config.maxClients(),
                config.watchQueue());
        server.start();
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    @Override
    public void statusChanged(ChargerStatus previous, ChargerStatus current) {
        ControlServer s = server;
        if (s != null) {
            s.publish(current);
        }
    }

    private Optional<ChargerStatus> currentStatus() {
        ChargingService c = charging;
        return c == null ? Optional.empty() : c.status();
    }

    static Path socketPath(Config config, BundleContext context) {
        if (!config.socketPath().isBlank()) {
            if (config.socketPath().contains("${")) {
                throw new IllegalStateException("configuration " + PID + ": socketPath '" + config.socketPath()
                        + "' still holds a ${...} reference");
            }
            return Path.of(config.socketPath());
        }
        String run = context.getProperty(RUN_DIR_PROPERTY);
        if (run == null || run.isBlank()) {
            throw new IllegalStateException("no control socket path: configuration " + PID
                    + " has no socketPath and the framework property " + RUN_DIR_PROPERTY + " is not set");
        }
        return Path.of(run).resolve(DEFAULT_SOCKET);
    }
}
