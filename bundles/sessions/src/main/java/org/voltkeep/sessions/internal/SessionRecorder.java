package org.voltkeep.sessions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.OpenedStore;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.sessions.SessionRecord;

/**
 * Records sessions from the status whiteboard. The listener thread only updates
 * memory and hands the file work to one I/O thread in order, because listeners
 * must not block and an fsync on flash can take a while.
 */
@Component(
        configurationPid = SessionRecorder.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = {ChargerStatusListener.class, SessionLog.class})
@Designate(ocd = Config.class)
public final class SessionRecorder implements ChargerStatusListener, SessionLog {
    static final String PID = "org.voltkeep.sessions";
    static final String DATA_DIR_PROPERTY = "voltkeep.data.dir";

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecorder.class);

    private final SessionTracker tracker;
    private final SessionWriter writer;
    private final Executor io;
    private final ExecutorService ownedIo;
    private final int recentLimit;
    /** Newest first; guarded by {@code this}. */
    private final Deque<SessionRecord> recent = new ArrayDeque<>();

    @Activate
    public SessionRecorder(Config config, BundleContext context) {
        this(sessionsDir(config, context), config.recentLimit(), () -> System.nanoTime() / 1_000_000,
                Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "voltkeep-sessions-io");
                    t.setDaemon(true);
                    return t;
                }));
    }

    private SessionRecorder(Path dir, int recentLimit, LongSupplier monotonicMillis, ExecutorService io) {
        this(dir, recentLimit, monotonicMillis, io, io);
    }

    /**
     * @param dir             the sessions directory ({@code <dataDir>/sessions})
     * @param monotonicMillis time for the save throttle
     * @param io              runs file work in submission order (tests pass {@code Runnable::run})
     */
    SessionRecorder(Path dir, int recentLimit, LongSupplier monotonicMillis, Executor io) {
        this(dir, recentLimit, monotonicMillis, io, null);
    }

    private SessionRecorder(Path dir, int recentLimit, LongSupplier monotonicMillis, Executor io,
            ExecutorService ownedIo) {
        if (recentLimit < 1) {
            throw new IllegalArgumentException("recentLimit " + recentLimit + " must be at least 1");
        }
        openStore(dir);
        SessionStore store = new SessionStore(dir);
        this.recentLimit = recentLimit;
        this.io = io;
        this.ownedIo = ownedIo;
        this.writer = new SessionWriter(store);
        List<SessionRecord> loaded = store.loadRecent(recentLimit);
        recent.addAll(loaded);
        Optional<OpenSession> recovered = store.loadOpen();
        this.tracker = new SessionTracker(recovered, store.openFileExists(),
                loaded.isEmpty() ? Optional.empty() : Optional.of(loaded.get(0)), monotonicMillis);
        recovered.ifPresent(o -> LOG.info("session {} was running before this start; it continues if safety still reports it",
                o.sessionId()));
        LOG.info("session records in {} ({} recent loaded)", dir, loaded.size());
    }

    /**
     * Brings the sessions directory to the version this image reads before anything
     * is read from it (records it, migrates it, or returns to the copy kept before a
     * newer image migrated it). A store this image must not touch stops the recorder.
     */
    private static void openStore(Path dir) {
        try {
            OpenedStore s = DataStore.open(dir, SessionJson.SCHEMA, change -> LOG.info(change.describe()));
            if (s.version().compareTo(SessionJson.SCHEMA.current()) > 0) {
                LOG.info("session records in {} are of version {} (a newer image wrote them); fields this image does not know are ignored",
                        dir, s.version());
            }
        } catch (IOException e) {
            throw new IllegalStateException("session records in " + dir + " cannot be used, no session is recorded: "
                    + e.getMessage(), e);
        }
    }

    static Path sessionsDir(Config config, BundleContext context) {
        String dataDir = config.dataDir().isBlank() ? context.getProperty(DATA_DIR_PROPERTY) : config.dataDir();
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalStateException("no data directory: configuration " + PID + " has no dataDir and the framework property "
                    + DATA_DIR_PROPERTY + " is not set");
        }
        if (dataDir.contains("${")) {
            throw new IllegalStateException("configuration " + PID + ": dataDir '" + dataDir
                    + "' still holds a ${...} reference (configuration not loaded by the Voltkeep config loader?)");
        }
        return Path.of(dataDir).resolve("sessions");
    }

    @Override
    public void statusChanged(ChargerStatus previous, ChargerStatus current) {
        try {
            List<SessionTracker.Action> actions;
            synchronized (this) {
                actions = tracker.onStatus(current);
                for (SessionTracker.Action a : actions) {
                    if (a instanceof SessionTracker.Append ap) {
                        recent.addFirst(ap.record());
                        while (recent.size() > recentLimit) {
                            recent.removeLast();
                        }
                    }
                }
            }
            if (!actions.isEmpty()) {
                io.execute(() -> writer.apply(actions));
            }
        } catch (RuntimeException e) {
            // never let a recorder problem reach the link client's thread
            LOG.error("session recorder could not take status {}: {}", current, e.toString(), e);
        }
    }

    @Override
    public synchronized List<SessionRecord> recent(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max + " is negative");
        }
        List<SessionRecord> out = new ArrayList<>(Math.min(max, recent.size()));
        for (SessionRecord r : recent) {
            if (out.size() >= max) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    @Override
    public synchronized Optional<SessionRecord> open() {
        return tracker.open().map(OpenSession::running);
    }

    @Deactivate
    void deactivate() {
        List<SessionTracker.Action> last;
        synchronized (this) {
            last = tracker.flush();
        }
        if (!last.isEmpty()) {
            io.execute(() -> writer.apply(last));
        }
        if (ownedIo != null) {
            ownedIo.shutdown();
            try {
                if (!ownedIo.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("session files still being written at shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
