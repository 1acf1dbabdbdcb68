package org.voltkeep.control.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
import org.voltkeep.health.HealthCheck;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.update.UpdateService;

/**
 * The control socket as a component. It is itself the status listener that
 * feeds every watching client and the health command's board clock. Its services are optional: the socket answers
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpdateService updates;

    // bind methods of dynamic references may run before activation
    private final List<HealthCheck> healthChecks = new CopyOnWriteArrayList<>();

    private volatile ControlServer server;
    private volatile BoardClock board;
    private ExecutorService healthExecutor;

    @Activate
    void activate(Config config, BundleContext context) throws IOException {
        String domain = context.getProperty(DOMAIN_PROPERTY);
        BoardClock clock = new BoardClock(Duration.ofMillis(config.healthFreshMillis()), System::nanoTime);
        currentStatus().ifPresent(s -> clock.seen(s.boardMillis()));
        board = clock;
        healthExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "voltkeep-health-check");
            t.setDaemon(true);
            return t;
        });
        Health health = new Health(() -> charging, clock, () -> List.copyOf(healthChecks),
                Duration.ofMillis(config.healthCheckTimeoutMillis()), healthExecutor);
        CommandHandler handler = new CommandHandler(() -> charging, () -> sessions, () -> updates, health,
                domain == null ? "app" : domain);
        server = new ControlServer(socketPath(config, context), handler, this::currentStatus, config.maxClients(),
                config.watchQueue());
        server.start();
    }

    @Deactivate
    void deactivate() {
        server.close();
        healthExecutor.shutdownNow();
    }

    @Reference(name = "healthCheck", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeHealthCheck")
    void addHealthCheck(HealthCheck check) {
        healthChecks.add(check);
    }

    void removeHealthCheck(HealthCheck check) {
        healthChecks.remove(check);
    }

    @Override
    public void statusChanged(ChargerStatus previous, ChargerStatus current) {
        BoardClock b = board;
        if (b != null) {
            b.seen(current.boardMillis());
        }
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
