package org.voltkeep.sim.control.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.voltkeep.hal.Board;
import org.voltkeep.hal.Current;
import org.voltkeep.hal.sim.SimClock;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;
import org.voltkeep.safety.api.ChargeController;
import org.voltkeep.sim.control.SimControl;

/**
 * Creates the simulated board and its runner, registers the board as the
 * {@link Board} service (the safety controller binds to it), and serves the control
 * socket. The board is registered by hand rather than as a second component so that
 * it exists exactly as long as the runner that moves it; the capability below tells
 * resolvers that this bundle provides the board service all the same.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.voltkeep.hal.Board")
@Component(name = "org.voltkeep.sim.control", configurationPid = "org.voltkeep.sim.control",
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = SimControl.class, immediate = true)
@Designate(ocd = Config.class)
public final class SimControlComponent implements SimControl {
    private static final Logger LOG = LoggerFactory.getLogger(SimControlComponent.class);

    private final Object lock = new Object();
    private SimulatedBoard board;
    private SimulationRunner runner;
    private ControlServer server;
    private ServiceRegistration<Board> registration;
    private ChargeController controller;

    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        String socket = config.socketPath() == null ? "" : config.socketPath().trim();
        if (socket.isEmpty()) {
            throw new IllegalArgumentException("simulator configuration refused: socketPath must name the control socket file");
        }
        int amps = config.hardwareRatingAmps();
        if (amps < 6 || amps > 80) {
            throw new IllegalArgumentException("simulator configuration refused: hardwareRatingAmps " + amps + " is outside 6..80");
        }
        SimulatedBoard b = new SimulatedBoard(new SimClock(), Current.ofAmps(amps));
        SimulationRunner r = new SimulationRunner(b, config.speed());
        ControlServer s = new ControlServer(Path.of(socket), b, r, config.speed());
        r.start();
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("board.kind", b.kind());
        synchronized (lock) {
            board = b;
            runner = r;
            server = s;
            s.setController(controller);
            registration = context.registerService(Board.class, b, props);
        }
        LOG.info("simulated board running at {}x, control socket {}", config.speed(), socket);
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<Board> reg;
        ControlServer s;
        SimulationRunner r;
        synchronized (lock) {
            reg = registration;
            s = server;
            r = runner;
            registration = null;
            server = null;
        }
        if (reg != null) {
            // Unregister first: the safety controller leaves the board safe while it still moves.
            reg.unregister();
        }
        if (s != null) {
            s.close();
        }
        if (r != null) {
            r.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindController(ChargeController c) {
        synchronized (lock) {
            controller = c;
            if (server != null) {
                server.setController(c);
            }
        }
    }

    void unbindController(ChargeController c) {
        synchronized (lock) {
            if (controller == c) {
                controller = null;
                if (server != null) {
                    server.setController(null);
                }
            }
        }
    }

    @Override
    public SimulatedBoard board() {
        synchronized (lock) {
            return board;
        }
    }

    @Override
    public SimulationRunner runner() {
        synchronized (lock) {
            return runner;
        }
    }

    @Override
    public Path socketPath() {
        synchronized (lock) {
            return server == null ? null : server.socketPath();
        }
    }
}
