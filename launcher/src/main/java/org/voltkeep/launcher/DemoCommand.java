package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
        try {
            scenario = Json.parseObject(Files.readString(scenarioFile, StandardCharsets.UTF_8));
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
            Files.createDirectories(device.root());
            Optional<DeviceLock> held = DeviceLock.tryAcquire(device);
            if (held.isEmpty()) {
                err.println("voltkeep demo: device " + device.root() + " is in use by another voltkeep process; nothing was started");
                return 1;
            }
            try (DeviceLock lock = held.get()) {
                return demo(inst, device, scenario, speed, json, console);
            }
        } catch (IOException | SlotRejectedException e) {
            err.println("voltkeep demo: " + e.getMessage());
            return e instanceof SlotRejectedException ? 3 : 1;
        } finally {
            if (!keep) {
                try {
                    FileOps.REAL.deleteTree(root);
                } catch (IOException e) {
                    err.println("voltkeep demo: could not remove " + root + ": " + e.getMessage());
                }
            }
        }
    }

    /** Boots the device (this process holds its lock) and plays the scenario. */
    private int demo(Installation inst, DeviceLayout device, Json.Obj scenario, double speed, boolean json, PrintStream console)
            throws IOException, SlotRejectedException, UsageException {
        String installed = new DeviceSetup(inst).prepare(device, "sim");
        console.println("device " + device.root() + ": " + installed);
        long t0 = System.nanoTime();
        try (Supervisor sup = new Supervisor(inst, device, Supervisor.Options.defaults("sim", speed, false), m -> console.println("  ! " + m))) {
            BootVerifier.Boot boot = sup.start();
            console.println(Supervisor.describe(boot));
            console.printf("both domains ready in %d ms (safety pid %d, application pid %d)%n",
                    (System.nanoTime() - t0) / 1_000_000, sup.safetyPid(), sup.appPid());
            ScenarioDriver driver = new ScenarioDriver(device, sup, console);
            ScenarioDriver.Result result = driver.play(scenario, speed);
            List<String> failures = failures(scenario, result);
            if (json) {
                out.println(summaryJson(scenario, result, failures).writePretty());
            } else {
                printSummary(scenario, result, failures);
            }
            return failures.isEmpty() ? 0 : 1;
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

    /**
     * The simulator checks the expectations it can observe (board and safety status);
     * whether the application domain was restarted only the supervisor knows.
     */
    static List<String> failures(Json.Obj scenario, ScenarioDriver.Result r) {
        List<String> failures = new ArrayList<>();
        Json.Obj verdict = r.summary().obj("expectations");
        Json.Arr simFailures = verdict.arr("failures");
        for (int i = 0; i < simFailures.size(); i++) {
            failures.add(simFailures.string(i));
        }
        if (scenario.has("expect") && scenario.obj("expect").has("appRestarted")) {
            boolean want = scenario.obj("expect").bool("appRestarted");
            if (want != (r.appRestarts() > 0)) {
                failures.add("appRestarted: expected " + want + ", the application domain was restarted " + r.appRestarts() + " time(s)");
            }
        }
        return failures;
    }

    private void printSummary(Json.Obj scenario, ScenarioDriver.Result r, List<String> failures) {
        Json.Obj s = r.summary();
        out.println();
        out.println("summary of scenario '" + scenario.string("name", "?") + "'");
        out.printf("  simulated time     %s%n", ScenarioDriver.clock(s.integer("durationMillis", 0)));
        out.printf("  energy delivered   %d Wh%n", s.integer("energyWh", 0));
        out.printf("  peak current       %.1f A%n", s.integer("peakCurrentMilliamps", 0) / 1000.0);
        out.printf("  contactor closures %d, %s at the end%n", s.integer("contactorClosures", 0),
                s.bool("contactorOpen", false) ? "open" : "CLOSED");
        Json.Arr faults = s.arr("faultsInjected");
        if (faults.size() == 0) {
            out.println("  faults injected    none");
        }
        for (int i = 0; i < faults.size(); i++) {
            Json.Obj f = faults.obj(i);
            String reaction;
            if (!f.bool("contactorWasClosed", false)) {
                reaction = "contactor was already open";
            } else if (f.get("contactorOpenCommandAfterMillis") instanceof Json.Num) {
                reaction = String.format("contactor open command after %d ms simulated (%d µs wall)",
                        f.integer("contactorOpenCommandAfterMillis"), f.integer("reactionMicros"));
            } else {
                reaction = "NO open command followed";
            }
            out.printf("  fault %-18s at %s: %s%n", f.string("fault", "?"),
                    ScenarioDriver.clock(f.integer("atMillis", 0) - s.integer("startMillis", 0)), reaction);
        }
        Json.Arr seen = s.arr("faultsSeen");
        out.println("  safety reported    " + (seen.size() == 0 ? "no faults" : seen.write()));
        if (s.bool("linkFallbackSeen", false)) {
            out.println("  link fallback      applied while the application domain was silent"
                    + (s.get("maxFallbackMilliamps") instanceof Json.Num
                            ? String.format(" (peak %.1f A once the car followed)", s.integer("maxFallbackMilliamps") / 1000.0) : ""));
        }
        if (r.appRestarts() > 0) {
            out.println("  application domain restarted " + r.appRestarts() + " time(s); safety kept running");
        }
        out.println("  sessions recorded  " + r.sessionsRecorded() + " (by the application domain)");
        for (String f : failures) {
            out.println("  [FAIL] " + f);
        }
        out.println(failures.isEmpty() ? "PASS: safety did what the scenario expects" : "FAIL: safety did not do what the scenario expects");
    }

    private static Json.Obj summaryJson(Json.Obj scenario, ScenarioDriver.Result r, List<String> failures) {
        Json.Arr f = Json.array();
        failures.forEach(f::add);
        return Json.object()
                .put("scenario", scenario.string("name", "?"))
                .put("passed", failures.isEmpty())
                .put("failures", f)
                .put("simulator", r.summary())
                .put("appRestarts", r.appRestarts())
                .put("sessionsRecorded", r.sessionsRecorded())
                .put("transitions", r.transitions());
    }

    static String faultNames(ChargerStatus s) {
        return s.activeFaults().stream().map(Enum::name).sorted().toList().toString();
    }

    static boolean silent(ChargerStatus s) {
        return s.link() == LinkState.SILENT_FALLBACK;
    }

    static ChargerStatus status(Json.Obj event) {
        return StatusJson.read(event.obj("status"));
    }

    static Duration wallBudget(Json.Obj scenario, double speed) {
        long simSeconds = scenario.integer("endAfterSeconds", 3600);
        return Duration.ofSeconds((long) (simSeconds / speed) + 120);
    }
}
