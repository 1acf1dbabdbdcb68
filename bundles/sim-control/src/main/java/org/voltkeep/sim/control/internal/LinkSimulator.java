package org.voltkeep.sim.control.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.safety.api.ChargeController;

/**
 * Stands in for the application domain's keep-alives when a scenario's cues are
 * carried out by the simulator itself ({@code "cues":"local"}), i.e. on a device
 * or in a test without an application domain. Beats every {@value #PERIOD_MILLIS}
 * ms of wall time while on, like the link client does.
 */
final class LinkSimulator implements AutoCloseable {
    static final long PERIOD_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(LinkSimulator.class);

    private volatile boolean beating;
    private Supplier<ChargeController> controller = () -> null;
    private ScheduledExecutorService scheduler;

    synchronized void start(Supplier<ChargeController> c) {
        controller = c;
    }

    /** Starts or stops the keep-alives. */
    synchronized void beat(boolean on) {
        beating = on;
        if (on && scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "voltkeep-sim-control-link");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleAtFixedRate(this::beatOnce, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (on) {
            beatOnce();
        }
    }

    boolean beating() {
        return beating;
    }

    /** The application domain dies: its connection closes and the keep-alives stop. */
    void closeLink() {
        beating = false;
        ChargeController c = controller.get();
        if (c != null) {
            c.linkClosed();
        }
    }

    private void beatOnce() {
        if (!beating) {
            return;
        }
        ChargeController c = controller.get();
        if (c != null) {
            try {
                c.linkHeartbeat();
            } catch (RuntimeException e) {
                LOG.warn("simulated link keep-alive failed: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        beating = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
