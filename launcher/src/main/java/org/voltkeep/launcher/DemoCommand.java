package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/**
 * {@code voltkeep demo}: a fresh device from this build, both domains on the
 * simulated board, one scenario played to the end, and a verdict.
 */
final class DemoCommand {
    static final String HELP = """
            usage: voltkeep demo [--scenario NAME|FILE] [--speed X] [--device DIR] [--json] [--list]

            Makes a fresh device directory (a temporary one unless --device is given),
            installs the bundles of this build into slot A, boots the safety and
            application domains on the simulated board and plays a scenario. Prints each
            state change with its simulated time, then a summary: energy delivered, peak
            current, faults and how safety reacted. Exit code 0 when safety did what the
            scenario expects, 1 when it did not.

              --scenario NAME|FILE  a scenario in runtime-config/scenarios (default: default)
                                    or a path to a scenario JSON file
              --speed X             simulated seconds per wall second (default 60)
              --device DIR          use (and keep) this device directory
              --json                print the summary as JSON instead of text
              --list                list the scenarios shipped with this build
            """;

    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        Args a = Args.parse("demo", argv, Set.of("scenario", "speed", "device"), Set.of("json", "list"));
        a.noPositionals("demo");
        Installation inst = Installation.locate();
        if (a.flag("list")) {
            return listScenarios(inst);
        }
        double speed = a.positiveNumber("demo", "speed", 60);
        Path scenarioFile = scenarioFile(inst, a.value("scenario").orElse("default"));
        Json.Obj scenario;
        Expectations expectations;
        try {
            scenario = Json.parseObject(Files.readString(scenarioFile, StandardCharsets.UTF_8));
            expectations = Expectations.parse(scenario);
        } catch (IOException | JsonException e) {
            throw new UsageException("scenario " + scenarioFile + ": " + e.getMessage());
        }
        boolean keep = a.value("device").isPresent();
        Path root;
        try {
            root = keep ? a.path("device").get() : Files.createTempDirectory("voltkeep-demo-");
        } catch (IOException e) {
            err.println("voltkeep demo: cannot create a temporary device: " + e.getMessage());
            return 1;
        }
        DeviceLayout device = new DeviceLayout(root);
        boolean json = a.flag("json");
        PrintStream console = json ? err : out;
        try {
            String installed = new DeviceSetup(inst).prepare(device, "sim");
            console.println("device " + device.root() + ": slot a <- " + installed);
            console.println("trust: none yet (bundles accepted by list and hash only; signed images come next)");
            long t0 = System.nanoTime();
            try (Supervisor sup = new Supervisor(inst, device, Supervisor.Options.defaults("sim", speed, false), m -> console.println("  ! " + m))) {
                sup.start();
                console.printf("both domains ready in %d ms (safety pid %d, application pid %d)%n",
                        (System.nanoTime() - t0) / 1_000_000, sup.safetyPid(), sup.appPid());
                ScenarioDriver driver = new ScenarioDriver(device, sup, console);
                ScenarioDriver.Result result = driver.play(scenario, speed);
                List<Expectations.Check> checks = expectations.evaluate(result.observed());
                boolean passed = checks.stream().allMatch(Expectations.Check::passed);
                if (json) {
                    out.println(summaryJson(scenario, result, checks, passed).writePretty());
                } else {
                    printSummary(scenario, result, checks, passed);
                }
                return passed ? 0 : 1;
            }
        } catch (IOException | SlotRejectedException e) {
            err.println("voltkeep demo: " + e.getMessage());
            return e instanceof SlotRejectedException ? 3 : 1;
        } finally {
            if (!keep) {
                try {
                    SlotInstaller.deleteTree(root);
                } catch (IOException e) {
                    err.println("voltkeep demo: could not remove " + root + ": " + e.getMessage());
                }
            }
        }
    }

    private int listScenarios(Installation inst) {
        try (var s = Files.list(inst.scenarios())) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = p.getFileName().toString().replaceFirst("\\.json$", "");
                String description = "";
                try {
                    description = Json.parseObject(Files.readString(p)).string("description", "");
                } catch (IOException | JsonException e) {
                    description = "(unreadable: " + e.getMessage() + ")";
                }
                out.printf("%-14s %s%n", name, description);
            }
            return 0;
        } catch (IOException e) {
            err.println("voltkeep demo: " + e.getMessage());
            return 1;
        }
    }

    static Path scenarioFile(Installation inst, String nameOrPath) throws UsageException {
        Path p = nameOrPath.contains("/") || nameOrPath.endsWith(".json")
                ? Path.of(nameOrPath)
                : inst.scenarios().resolve(nameOrPath + ".json");
        if (!Files.isRegularFile(p)) {
            throw new UsageException("no scenario '" + nameOrPath + "' (" + p + "); see voltkeep demo --list");
        }
        return p;
    }

    private void printSummary(Json.Obj scenario, ScenarioDriver.Result r, List<Expectations.Check> checks, boolean passed) {
        Json.Obj s = r.summary();
        out.println();
        out.println("summary of scenario '" + scenario.string("name", "?") + "'");
        out.printf("  simulated time     %s%n", ScenarioDriver.clock(s.integer("durationMillis", 0)));
        out.printf("  energy delivered   %d Wh%n", s.integer("energyWh", 0));
        out.printf("  peak current       %.1f A%n", s.integer("peakCurrentMilliamps", 0) / 1000.0);
        out.printf("  contactor closures %d%n", s.integer("contactorClosures", 0));
        Json.Arr faults = s.has("faultsInjected") ? s.arr("faultsInjected") : Json.array();
        if (faults.size() == 0) {
            out.println("  faults injected    none");
        }
        for (int i = 0; i < faults.size(); i++) {
            Json.Obj f = faults.obj(i);
            String reaction = f.bool("contactorWasClosed", false)
                    ? String.format("contactor open command after %d ms simulated, %d µs wall",
                            f.integer("contactorOpenCommandAfterMillis", -1), f.integer("reactionMicros", -1))
                    : "contactor was already open";
            out.printf("  fault %-12s at %s: %s%n", f.string("fault", "?"), ScenarioDriver.clock(f.integer("atMillis", 0)), reaction);
        }
        out.println("  safety reported    " + (r.observed().faultsReported().isEmpty() ? "no faults" : String.join(", ", r.observed().faultsReported())));
        if (r.observed().linkFallbackSeen()) {
            out.printf("  link fallback      applied; peak %.1f A while silent%n", r.observed().maxMilliampsDuringFallback() / 1000.0);
        }
        if (r.observed().appRestarts() > 0) {
            out.println("  application domain restarted " + r.observed().appRestarts() + " time(s); safety kept running");
        }
        out.println("  sessions recorded  " + r.sessionsRecorded());
        for (Expectations.Check c : checks) {
            out.printf("  [%s] %-28s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
        }
        out.println(passed ? "PASS: safety did what the scenario expects" : "FAIL: safety did not do what the scenario expects");
    }

    private static Json.Obj summaryJson(Json.Obj scenario, ScenarioDriver.Result r, List<Expectations.Check> checks, boolean passed) {
        Json.Arr cs = Json.array();
        for (Expectations.Check c : checks) {
            cs.add(Json.object().put("check", c.name()).put("passed", c.passed()).put("detail", c.detail()));
        }
        Json.Arr faults = Json.array();
        r.observed().faultsReported().forEach(faults::add);
        return Json.object()
                .put("scenario", scenario.string("name", "?"))
                .put("passed", passed)
                .put("simulator", r.summary())
                .put("faultsReported", faults)
                .put("finalState", r.observed().finalState())
                .put("linkFallbackSeen", r.observed().linkFallbackSeen())
                .put("appRestarts", r.observed().appRestarts())
                .put("sessionsRecorded", r.sessionsRecorded())
                .put("transitions", r.transitions())
                .put("checks", cs);
    }

    /** Faults seen in a status, by name. */
    static Set<String> faultNames(ChargerStatus s) {
        Set<String> names = new TreeSet<>();
        s.activeFaults().forEach(f -> names.add(f.name()));
        return names;
    }

    static boolean silent(ChargerStatus s) {
        return s.link() == LinkState.SILENT_FALLBACK;
    }

    static ChargerStatus status(Json.Obj event) {
        return StatusJson.read(event.obj("status"));
    }

    static List<Long> longs(Json.Arr faults, String key) {
        List<Long> r = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Json.Obj f = faults.obj(i);
            if (f.bool("contactorWasClosed", false)) {
                r.add(f.integer(key));
            }
        }
        return r;
    }

    static Duration wallBudget(Json.Obj scenario, double speed) {
        long simSeconds = scenario.integer("endAfterSeconds", 3600);
        return Duration.ofSeconds((long) (simSeconds / speed) + 120);
    }
}
