package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.json.Json;

/**
 * Plays a scenario through the simulator's control socket and carries out its
 * operator cues the way an operator would: authorizations and limits through the
 * application domain's control socket (so they cross the link like real requests),
 * process faults (kill, freeze) through the supervisor.
 */
final class ScenarioDriver {
    /**
     * @param summary          the simulator's summary, with its verdict on the scenario's expectations
     * @param appRestarts      how often the supervisor restarted the application domain
     * @param sessionsRecorded session records the application domain holds at the end
     * @param transitions      visible state changes printed
     */
    record Result(Json.Obj summary, int appRestarts, int sessionsRecorded, long transitions) {
    }

    /** A restart on a loaded two-core machine takes seconds; a minute means it is not coming. */
    static final Duration LINK_CUE_TIMEOUT = Duration.ofSeconds(60);

    private final DeviceLayout device;
    private final Supervisor supervisor;
    private final PrintStream console;

    ScenarioDriver(DeviceLayout device, Supervisor supervisor, PrintStream console) {
        this.device = device;
        this.supervisor = supervisor;
        this.console = console;
    }

    Result play(Json.Obj scenario, double speed) throws IOException {
        long deadline = System.nanoTime() + DemoCommand.wallBudget(scenario, speed).toNanos();
        long transitions = 0;
        long origin = -1;
        ChargerStatus last = null;
        // A cue about the link holds simulated time until safety saw the change, so the
        // scenario reads the same at any speed (link timing is wall time, physics is not).
        java.util.function.Predicate<ChargerStatus> resumeWhen = null;
        long resumeDeadline = 0;
        try (JsonLineClient sim = JsonLineClient.connect(device.simSocket(), Duration.ofSeconds(10))) {
            Json.Obj ok = sim.call(Json.object().put("cmd", "play").put("scenario", scenario).put("speed", speed));
            if (!ok.bool("ok", false)) {
                throw new IOException("the simulator refused the scenario: " + ok.string("error", ok.write()));
            }
            console.println("playing scenario '" + scenario.string("name", "?") + "' at " + speed + "x");
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("scenario did not finish within its wall-time budget");
                }
                Json.Obj ev = sim.read();
                String kind = ev.string("event", "");
                if (origin < 0 && ev.has("t")) {
                    origin = ev.integer("t");
                }
                // printed times count from the start of the play, as the scenario's do
                long t = ev.integer("t", 0) - Math.max(0, origin);
                switch (kind) {
                    case "state" -> {
                        ChargerStatus s = DemoCommand.status(ev);
                        if (last == null || visiblyDifferent(last, s)) {
                            console.println(line(t, s));
                            transitions++;
                        }
                        last = s;
                        if (resumeWhen != null && resumeWhen.test(s)) {
                            resumeWhen = null;
                            sim.send(Json.object().put("cmd", "resume"));
                        } else if (resumeWhen != null && System.nanoTime() > resumeDeadline) {
                            throw new IOException("safety did not react to the link cue within " + LINK_CUE_TIMEOUT.toSeconds() + " s");
                        }
                    }
                    case "sim" -> console.printf("[%s] sim: %s %s%n", clock(t), ev.string("kind", ""), ev.string("detail", ""));
                    case "cue" -> {
                        Json.Obj action = ev.obj("action");
                        console.printf("[%s] operator: %s%n", clock(t), action.write());
                        resumeWhen = perform(action);
                        if (resumeWhen == null) {
                            sim.send(Json.object().put("cmd", "resume"));
                        } else {
                            resumeDeadline = System.nanoTime() + LINK_CUE_TIMEOUT.toNanos();
                        }
                    }
                    case "end" -> {
                        return new Result(ev.obj("summary"), supervisor.appRestarts(), sessionsRecorded(), transitions);
                    }
                    case "problem" -> console.printf("[%s] sim problem: %s%n", clock(t), ev.string("detail", ""));
                    default -> {
                        if (ev.has("ok") && !ev.bool("ok", true)) {
                            throw new IOException("simulator error: " + ev.string("error", ev.write()));
                        }
                    }
                }
            }
        }
    }

    /** Carries out a cue; returns the status to wait for before simulated time resumes, or null. */
    private java.util.function.Predicate<ChargerStatus> perform(Json.Obj action) throws IOException {
        String what = action.string("do");
        switch (what) {
            case "kill-app" -> {
                supervisor.killApp();
                return DemoCommand::silent;
            }
            case "silence-link" -> {
                supervisor.freezeApp();
                return DemoCommand::silent;
            }
            case "restore-link" -> {
                supervisor.thawApp();
                return s -> !DemoCommand.silent(s);
            }
            case "await-app" -> {
                // the supervisor restarts it; time resumes once it is back on the link
                return s -> !DemoCommand.silent(s);
            }
            default -> {
                Json.Obj request = switch (what) {
                    case "authorize" -> Json.object().put("cmd", "authorize").put("idTag", action.string("idTag", "demo"));
                    case "stop" -> Json.object().put("cmd", "stop");
                    case "limit" -> Json.object().put("cmd", "limit").put("claimId", action.string("claimId", "demo"))
                            .put("priority", action.integer("priority", 10)).put("amps", action.number("amps"))
                            .put("ttlSeconds", action.number("ttlSeconds", 60));
                    case "clear-limit" -> Json.object().put("cmd", "clear-limit").put("claimId", action.string("claimId", "demo"));
                    case "reset-faults" -> Json.object().put("cmd", "reset-faults");
                    default -> throw new IOException("unknown operator action '" + what + "'");
                };
                Json.Obj reply = callApp(request);
                console.println("           -> " + (reply.bool("ok", false) ? "accepted" : "refused: " + reply.string("error", reply.write())));
                return null;
            }
        }
    }

    /** One request to the application domain, waiting for it while it (re)starts. */
    private Json.Obj callApp(Json.Obj request) throws IOException {
        try (JsonLineClient app = JsonLineClient.connect(device.appSocket(), Duration.ofSeconds(30))) {
            return app.call(request);
        }
    }

    private int sessionsRecorded() {
        try {
            Json.Obj r = callApp(Json.object().put("cmd", "sessions").put("max", 100));
            return r.has("sessions") ? r.arr("sessions").size() : 0;
        } catch (IOException | IllegalArgumentException e) {
            console.println("  ! cannot read sessions from the application domain: " + e.getMessage());
            return -1;
        }
    }

    private static boolean visiblyDifferent(ChargerStatus a, ChargerStatus b) {
        return a.state() != b.state() || a.contactorCommanded() != b.contactorCommanded()
                || a.contactorFeedback() != b.contactorFeedback() || a.pwmPermille() != b.pwmPermille()
                || !a.activeFaults().equals(b.activeFaults()) || a.link() != b.link() || a.authorized() != b.authorized()
                || a.limitMilliamps() != b.limitMilliamps();
    }

    static String line(long t, ChargerStatus s) {
        StringBuilder b = new StringBuilder();
        b.append('[').append(clock(t)).append("] ").append(String.format("%-3s", s.state().name()));
        b.append(String.format(" pwm %5.1f%%", s.pwmPermille() / 10.0));
        b.append(String.format("  limit %4.1f A (%s)", s.limitMilliamps() / 1000.0, s.limitSource()));
        b.append(String.format("  %5.1f A", s.currentMilliamps() / 1000.0));
        b.append("  contactor ").append(s.contactorCommanded() ? "closed" : "open");
        if (s.contactorFeedback() != s.contactorCommanded()) {
            b.append(" (feedback ").append(s.contactorFeedback() ? "closed" : "open").append(')');
        }
        if (s.authorized()) {
            b.append("  authorized");
        }
        if (s.sessionId() != 0) {
            b.append(String.format("  session %d Wh", s.sessionEnergyWh()));
        }
        if (!s.activeFaults().isEmpty()) {
            b.append("  FAULT ").append(DemoCommand.faultNames(s));
        }
        if (DemoCommand.silent(s)) {
            b.append("  LINK SILENT -> ").append(s.fallback());
        }
        return b.toString();
    }

    static String clock(long boardMillis) {
        long s = boardMillis / 1000;
        return String.format("%02d:%02d:%02d.%01d", s / 3600, (s / 60) % 60, s % 60, (boardMillis % 1000) / 100);
    }

}
