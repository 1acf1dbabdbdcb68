package org.voltkeep.sim.control.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.EvState;
import org.voltkeep.hal.sim.SimEvent;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.hal.sim.SimListener;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.hal.sim.SimulationRunner;
import org.voltkeep.hal.sim.scenario.Scenario;
import org.voltkeep.hal.sim.scenario.ScenarioParser;
import org.voltkeep.hal.sim.scenario.ScenarioRecorder;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.safety.api.ChargeController;

/**
 * The simulator control socket: a Unix domain socket (mode 0600) speaking JSON
 * lines. Each request line gets exactly one answer line ({@code {"ok":true,...}} or
 * {@code {"ok":false,"error":"..."}}); a connection that sent {@code play} or
 * {@code watch} also receives event lines (they carry an {@code "event"} key, answers
 * never do). A bad line is answered and the connection stays open.
 */
final class ControlServer implements AutoCloseable {
    static final int MAX_CONNECTIONS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path socketPath;
    private final SimulatedBoard board;
    private final SimulationRunner runner;
    private final double defaultSpeed;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final SimListener simListener = this::onSimEvent;
    private final Consumer<ChargerStatus> statusListener = this::onStatus;
    private final LinkSimulator link = new LinkSimulator();
    private final Object lock = new Object();

    // Guarded by `lock`.
    private ChargeController controller;
    private Play play;
    private ScenarioRecorder sinceStart;
    private ServerSocketChannel server;
    private Thread acceptor;

    ControlServer(Path socketPath, SimulatedBoard board, SimulationRunner runner, double defaultSpeed) {
        this.socketPath = socketPath.toAbsolutePath();
        this.board = Objects.requireNonNull(board, "board");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.defaultSpeed = defaultSpeed;
    }

    Path socketPath() {
        return socketPath;
    }

    SimulatedBoard board() {
        return board;
    }

    SimulationRunner runner() {
        return runner;
    }

    double defaultSpeed() {
        return defaultSpeed;
    }

    LinkSimulator link() {
        return link;
    }

    /** Binds the socket (replacing a stale socket file) and starts accepting clients. */
    void start() throws IOException {
        Path dir = socketPath.getParent();
        Files.createDirectories(dir);
        if (Files.exists(socketPath) && Files.isDirectory(socketPath)) {
            throw new IOException("simulator control socket " + socketPath + " is a directory");
        }
        // A socket file left by a crashed run would make bind fail.
        Files.deleteIfExists(socketPath);
        // Bind inside a private directory, set 0660, then move it into place, so the
        // socket is never reachable with the umask's mode. Owner and group: on a device the
        // run directory gives it the launcher's group (the demo driver, the shell's plug and
        // unplug in the application domain).
        Path staging = Files.createTempDirectory(dir, ".sim-control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-rw----"));
            Files.move(staged, socketPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(staged);
            throw e;
        } finally {
            Files.deleteIfExists(staging);
        }
        board.addSimListener(simListener);
        ScenarioRecorder rec = new ScenarioRecorder(board);
        rec.start();
        runner.addTickListener(rec);
        Thread t = new Thread(this::acceptLoop, "voltkeep-sim-control-accept");
        t.setDaemon(true);
        synchronized (lock) {
            server = ch;
            sinceStart = rec;
            acceptor = t;
        }
        link.start(this::controller);
        t.start();
        LOG.info("simulator control socket listening on {}", socketPath);
    }

    @Override
    public void close() {
        ServerSocketChannel ch;
        Thread t;
        Play p;
        synchronized (lock) {
            ch = server;
            t = acceptor;
            p = play;
            server = null;
            acceptor = null;
            play = null;
        }
        board.removeSimListener(simListener);
        setController(null);
        link.close();
        if (p != null) {
            p.close();
        }
        for (Connection c : connections) {
            c.close();
        }
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing the simulator control socket", e);
            }
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.warn("cannot remove the simulator control socket {}: {}", socketPath, e.toString());
        }
    }

    /** Binds or unbinds (null) the safety controller whose statuses are streamed. */
    void setController(ChargeController c) {
        ChargeController old;
        synchronized (lock) {
            old = controller;
            controller = c;
        }
        if (old == c) {
            return;
        }
        if (old != null) {
            old.removeStatusListener(statusListener);
        }
        if (c != null) {
            c.addStatusListener(statusListener);
        }
    }

    ChargeController controller() {
        synchronized (lock) {
            return controller;
        }
    }

    private void acceptLoop() {
        while (true) {
            ServerSocketChannel ch;
            synchronized (lock) {
                ch = server;
            }
            if (ch == null) {
                return;
            }
            try {
                SocketChannel client = ch.accept();
                Connection c = new Connection(client, ids.incrementAndGet());
                if (connections.size() >= MAX_CONNECTIONS) {
                    LOG.warn("simulator control: refusing client {}, {} are connected", c.id(), MAX_CONNECTIONS);
                    c.start((conn, line) -> {
                    }, () -> {
                    });
                    c.send(error("too many clients (at most " + MAX_CONNECTIONS + ")"));
                    c.close();
                    continue;
                }
                connections.add(c);
                c.start(this::onLine, () -> connectionClosed(c));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("simulator control: accept failed: {}", e.toString());
                return;
            }
        }
    }

    /**
     * A play whose client went away would hold board time at its next cue for good
     * and block every later play: it is abandoned.
     */
    private void connectionClosed(Connection c) {
        connections.remove(c);
        Play p;
        synchronized (lock) {
            p = play;
            if (p == null || p.owner() != c || p.ended()) {
                return;
            }
            play = null;
        }
        LOG.warn("simulator control: client {} left while scenario '{}' was playing; play abandoned", c.id(), p.scenario().name());
        p.close();
        runner.setSpeed(defaultSpeed);
    }

    // ------------------------------------------------------------------ requests

    private void onLine(Connection c, String line) {
        if (line == null) {
            c.send(error("line longer than " + Connection.MAX_LINE_BYTES + " bytes"));
            return;
        }
        Json.Obj reply;
        Runnable after = null;
        try {
            Json.Obj req;
            try {
                req = Json.parseObject(line);
            } catch (JsonException e) {
                throw new JsonException("bad request: " + e.getMessage());
            }
            if (!req.has("cmd")) {
                throw new JsonException("$.cmd: missing (one of play, resume, plug, unplug, fault, clear-fault, "
                        + "ev-pause, ev-resume, temperature, speed, summary, status, watch)");
            }
            String cmd = req.string("cmd");
            switch (cmd) {
                case "play" -> {
                    req.onlyKeys("cmd", "scenario", "speed", "cues");
                    Play p = preparePlay(c, req);
                    reply = ok().put("scenario", p.scenario().name());
                    after = p::start;
                }
                case "resume" -> {
                    req.onlyKeys("cmd");
                    Play p = currentPlay();
                    if (p == null || !p.resumeCue()) {
                        throw new IllegalStateException("no cue is waiting to be resumed");
                    }
                    reply = ok();
                }
                case "plug" -> {
                    req.onlyKeys("cmd", "cable", "ev");
                    CableRating cable = req.has("cable") ? ScenarioParser.cable(req, "cable") : CableRating.A32;
                    EvProfile ev = req.has("ev") ? ScenarioParser.parseEv(req.obj("ev"), EvProfile.standard()) : EvProfile.standard();
                    board.plugIn(ev, cable);
                    reply = ok();
                }
                case "unplug" -> {
                    req.onlyKeys("cmd");
                    board.unplug();
                    reply = ok();
                }
                case "ev-pause", "ev-resume" -> {
                    req.onlyKeys("cmd");
                    board.evPause(cmd.equals("ev-pause"));
                    reply = ok();
                }
                case "fault", "clear-fault" -> {
                    req.onlyKeys("cmd", "fault");
                    SimFault f = req.enumValue("fault", SimFault.class);
                    if (cmd.equals("fault")) {
                        board.inject(f);
                    } else {
                        board.clear(f);
                    }
                    reply = ok();
                }
                case "temperature" -> {
                    req.onlyKeys("cmd", "celsius");
                    double celsius = req.number("celsius");
                    if (celsius < -40 || celsius > 120) {
                        throw new JsonException(req.path("celsius") + ": " + celsius + " °C is outside -40..120 °C");
                    }
                    board.setAmbientTemperature(Temperature.ofCelsius(celsius));
                    reply = ok();
                }
                case "speed" -> {
                    req.onlyKeys("cmd", "x");
                    runner.setSpeed(req.number("x"));
                    reply = ok().put("speed", runner.speed());
                }
                case "summary" -> {
                    req.onlyKeys("cmd");
                    reply = ok().put("summary", summary());
                }
                case "status" -> {
                    req.onlyKeys("cmd");
                    reply = ok().put("t", board.clock().millis()).put("board", boardJson());
                    ChargeController ctl = controller();
                    reply.put("status", ctl == null ? null : StatusJson.write(ctl.status()));
                }
                case "watch" -> {
                    req.onlyKeys("cmd");
                    c.subscribe();
                    reply = ok();
                }
                default -> throw new JsonException("$.cmd: unknown command '" + cmd + "'");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            reply = error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("simulator control: request failed", e);
            reply = error("internal error: " + e);
        }
        c.send(reply);
        if (after != null) {
            after.run();
        }
    }

    private Play preparePlay(Connection c, Json.Obj req) {
        Scenario scenario = ScenarioParser.parse(req.obj("scenario"));
        // Checked before anything changes, so a refused play leaves the simulator as it was.
        double speed = SimulationRunner.requireValidSpeed(req.has("speed") ? req.number("speed") : runner.speed());
        String cues = req.string("cues", "client");
        if (!cues.equals("client") && !cues.equals("local")) {
            throw new JsonException(req.path("cues") + ": '" + cues + "' is not one of [client, local]");
        }
        synchronized (lock) {
            if (play != null && !play.ended()) {
                throw new IllegalStateException("scenario '" + play.scenario().name() + "' is still playing");
            }
            if (play != null) {
                play.close();
            }
            c.subscribe();
            play = new Play(this, scenario, c, speed, cues.equals("local"));
            play.applySpeed();
            return play;
        }
    }

    private Play currentPlay() {
        synchronized (lock) {
            return play;
        }
    }

    private Json.Obj summary() {
        Play p = currentPlay();
        if (p != null) {
            return p.summaryJson();
        }
        ScenarioRecorder rec;
        synchronized (lock) {
            rec = sinceStart;
        }
        return rec == null ? Json.object() : rec.summary().toJson();
    }

    private Json.Obj boardJson() {
        EvState ev = board.ev();
        Json.Arr faults = Json.array();
        board.activeFaults().forEach(f -> faults.add(f.name()));
        return Json.object()
                .put("pilot", board.controlPilot().measuredState())
                .put("pwmPermille", board.controlPilot().duty().permille())
                .put("contactorCommanded", board.contactor().commandedClosed())
                .put("contactorFeedback", board.contactor().feedbackClosed())
                .put("cable", board.proximityPilot().cableRating())
                .put("temperatureDeciC", board.temperatureSensor().temperature().deciCelsius())
                .put("currentMilliamps", board.meter().read().maxPhaseCurrent().milliamps())
                .put("meterEnergyWh", board.meter().read().importedEnergy().wattHours())
                .put("ev", Json.object().put("plugged", ev.plugged()).put("pilot", ev.pilot())
                        .put("socPercent", Math.round(ev.socPercent() * 10) / 10.0)
                        .put("drawingMilliamps", ev.drawingMilliamps()).put("full", ev.full()).put("paused", ev.paused()))
                .put("faults", faults)
                .put("speed", runner.speed())
                .put("paused", runner.paused())
                .put("watchdogExpired", board.watchdog().expired());
    }

    // ------------------------------------------------------------------ events

    private void onSimEvent(SimEvent e) {
        broadcast(Json.object().put("event", "sim").put("t", e.boardMillis()).put("kind", e.kind()).put("detail", e.detail()));
    }

    private void onStatus(ChargerStatus s) {
        Play p = currentPlay();
        if (p != null) {
            p.onStatus(s);
        }
        ScenarioRecorder rec;
        synchronized (lock) {
            rec = sinceStart;
        }
        if (rec != null) {
            rec.onStatus(s);
        }
        broadcast(Json.object().put("event", "state").put("t", s.boardMillis()).put("status", StatusJson.write(s)));
    }

    void broadcast(Json.Obj event) {
        for (Connection c : connections) {
            if (c.subscribed()) {
                c.send(event);
            }
        }
    }

    void playEnded(Play p) {
        runner.setSpeed(defaultSpeed);
    }

    static Json.Obj ok() {
        return Json.object().put("ok", true);
    }

    static Json.Obj error(String message) {
        return Json.object().put("ok", false).put("error", message == null ? "unknown error" : message);
    }
}
