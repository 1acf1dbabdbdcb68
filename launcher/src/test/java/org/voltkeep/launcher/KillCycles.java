package org.voltkeep.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.voltkeep.image.BundleDomain;

/**
 * The kill-cycle torture: a device directory is updated again and again by real
 * processes ({@link KillCycleChild}: the launcher's slot code on {@link FileOps#REAL}),
 * each killed with SIGKILL at a random moment of its install → activate → trial boot →
 * commit (or rollback) sequence, and each next process first boots the device as the
 * launcher does and checks it ({@link BootCheck}): a verified image its record names,
 * never the recovery image, the device's configuration intact.
 *
 * <p>The delay before each kill is uniform over the sequence's duration, measured first
 * by a few runs that are killed only once they are done. One device for the whole run:
 * whatever a kill leaves, the next process starts from it.
 *
 * <p>Usage: {@code KillCycles [--count N] [--seed S] [--work DIR] [--save FILE] [--classpath CP]}.
 * Exit 0 when every cycle's check passed, 1 otherwise (the work directory is kept).
 */
final class KillCycles {
    static final int DEFAULT_COUNT = 1000;
    static final int CALIBRATION_RUNS = 3;
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
    static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx96m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    /** The phases a child prints, in sequence order; "done" = killed after the sequence ended. */
    static final List<String> PHASES = List.of("boot-verdict", "install", "activate", "trial-boot", "commit", "rollback", "reboot",
            "done");

    /** @param calibrationRuns uninterrupted runs per sequence whose median duration spreads the kills */
    record Options(int count, long seed, Path work, Path save, String classpath, boolean keepWork, int calibrationRuns) {
    }

    /** What one killed process did. */
    record Cycle(int number, String mode, long delayMicros, String phase, String checkAfter) {
    }

    /** The outcome of a run. */
    record Result(int cycles, int failures, Map<String, Integer> killsPerPhase, Map<String, Integer> modes,
            Map<String, Integer> bootsAtCheck, long[] calibrationMicrosCommit, long[] calibrationMicrosRollback, Duration wall,
            String firstFailure, String finalCheck, List<String> text) {
    }

    private final Options options;
    private final PrintStream out;
    private final Random random;
    private Path deviceDir;
    private Path expected;
    private List<Path> good;
    private Path failing;

    KillCycles(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    static final String HELP = """
            usage: KillCycles [--count N] [--seed S] [--work DIR] [--save FILE] [--classpath CP] [--keep]

            Updates one device directory again and again with real processes (the launcher's
            slot code on real files) and kills each with SIGKILL at a random moment of its
            install, activate, trial boot, commit or rollback; the next process boots the
            device as the launcher does and checks it. Exit 0 when every check passed.
            """;

    public static void main(String[] argv) throws Exception {
        int count = DEFAULT_COUNT;
        long seed = System.nanoTime();
        Path work = null;
        Path save = null;
        boolean keep = false;
        String cp = System.getProperty("java.class.path");
        List<String> a = Arrays.asList(argv);
        for (int i = 0; i < a.size(); i++) {
            String o = a.get(i);
            if (o.equals("--keep")) {
                keep = true;
                continue;
            }
            if (o.equals("--help")) {
                System.out.print(HELP);
                return;
            }
            if (i + 1 >= a.size()) {
                usage(o + " needs a value");
            }
            String v = a.get(++i);
            try {
                switch (o) {
                    case "--count" -> count = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--work" -> work = Path.of(v);
                    case "--save" -> save = Path.of(v);
                    case "--classpath" -> cp = v;
                    default -> usage("unknown option " + o);
                }
            } catch (NumberFormatException e) {
                usage(o + " '" + v + "' is not a number");
            }
        }
        if (count < 1) {
            usage("--count must be at least 1");
        }
        boolean madeWork = work == null;
        if (madeWork) {
            work = Files.createTempDirectory("voltkeep-kill-cycles-");
        }
        Result r = new KillCycles(new Options(count, seed, work, save, cp, keep || !madeWork, CALIBRATION_RUNS), System.out).run();
        System.exit(r.failures() == 0 ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println("kill-cycles: " + problem);
        System.err.print(HELP);
        System.exit(2);
    }

    Result run() throws Exception {
        long t0 = System.nanoTime();
        setUp();
        out.printf("kill cycles: %d, seed %d, device %s%n", options.count(), options.seed(), deviceDir);
        long[] commitRuns = new long[options.calibrationRuns()];
        long[] rollbackRuns = new long[options.calibrationRuns()];
        for (int i = 0; i < options.calibrationRuns(); i++) {
            commitRuns[i] = calibrate(good.get(i % good.size()));
            rollbackRuns[i] = calibrate(failing);
        }
        long commitSpan = median(commitRuns);
        long rollbackSpan = median(rollbackRuns);
        out.printf("sequence durations (after the boot check, uninterrupted): commit %s, rollback %s (medians of %d)%n",
                ms(commitSpan), ms(rollbackSpan), options.calibrationRuns());

        Map<String, Integer> perPhase = new TreeMap<>((x, y) -> Integer.compare(PHASES.indexOf(x), PHASES.indexOf(y)));
        Map<String, Integer> modes = new TreeMap<>();
        Map<String, Integer> boots = new TreeMap<>();
        List<Cycle> cycles = new ArrayList<>();
        String failure = null;
        String pendingCheck = null;
        for (int n = 1; n <= options.count() && failure == null; n++) {
            boolean rollback = random.nextBoolean();
            Path image = rollback ? failing : good.get(random.nextInt(good.size()));
            long span = rollback ? rollbackSpan : commitSpan;
            long delay = (long) (random.nextDouble() * span);
            Child c = Child.start(this, image);
            String check = c.awaitCheck();
            if (!check.startsWith("CHECKED ")) {
                failure = "the check after cycle " + (n - 1) + " failed: " + check;
                break;
            }
            if (pendingCheck != null) {
                boots.merge(bootedWhat(check), 1, Integer::sum);
            }
            pendingCheck = check;
            TimeUnit.MICROSECONDS.sleep(delay);
            String phase = c.kill();
            if (phase.startsWith("FAILED")) {
                failure = "cycle " + n + ": the process failed on its own before the kill: " + phase;
                break;
            }
            perPhase.merge(phase, 1, Integer::sum);
            String mode = rollback ? "rollback" : "commit";
            modes.merge(mode, 1, Integer::sum);
            cycles.add(new Cycle(n, mode, delay, phase, check));
            if (n % 25 == 0 || n == options.count() || options.count() <= 30) {
                out.printf("cycle %d/%d: %s of %s killed after %s in %s; device before it: %s%n", n, options.count(), mode,
                        image.getFileName(), ms(delay), phase, check.substring("CHECKED ".length()));
            }
        }
        String finalCheck = null;
        if (failure == null) {
            Child last = Child.start(this, null);
            finalCheck = last.awaitCheck();
            last.awaitExit();
            if (!finalCheck.startsWith("CHECKED ")) {
                failure = "the check after the last cycle failed: " + finalCheck;
            } else {
                boots.merge(bootedWhat(finalCheck), 1, Integer::sum);
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        List<String> text = summary(cycles.size(), failure, perPhase, modes, boots, finalCheck, wall, commitSpan, rollbackSpan);
        text.forEach(out::println);
        if (options.save() != null) {
            Files.createDirectories(options.save().toAbsolutePath().getParent());
            Files.write(options.save(), text, StandardCharsets.UTF_8);
            out.println("saved: " + options.save());
        }
        if (failure == null && !options.keepWork()) {
            deleteTree(options.work());
        } else if (failure != null) {
            out.println("the device is kept for inspection: " + deviceDir);
        }
        return new Result(cycles.size(), failure == null ? 0 : 1, perPhase, modes, boots, commitRuns, rollbackRuns, wall, failure,
                finalCheck, text);
    }

    private List<String> summary(int cycles, String failure, Map<String, Integer> perPhase, Map<String, Integer> modes,
            Map<String, Integer> boots, String finalCheck, Duration wall, long commitSpan, long rollbackSpan) {
        List<String> t = new ArrayList<>();
        t.add("# voltkeep kill-cycle torture (integration/torture/kill-cycles)");
        t.add("date:              " + Instant.now());
        t.add("java:              " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
        t.add("seed:              " + options.seed());
        t.add("cycles:            " + cycles + " of " + options.count() + " (each process killed with SIGKILL)");
        t.add("failures:          " + (failure == null ? "0" : "1 (" + failure + ")"));
        t.add("kills per phase:   " + perPhase);
        t.add("sequences:         " + modes + " (commit: a good image; rollback: an image meant to fail its trial)");
        t.add("checks passed:     " + boots.values().stream().mapToInt(Integer::intValue).sum()
                + " (each kill checked by the next process, the last by a final check); booted then: " + boots);
        t.add("sequence duration: commit " + ms(commitSpan) + ", rollback " + ms(rollbackSpan)
                + " (median of " + options.calibrationRuns() + " uninterrupted runs, after the boot check; kill delays uniform in it)");
        t.add("final check:       " + (finalCheck == null ? "not reached" : finalCheck));
        t.add(String.format("wall time:         %.1f s (%.0f ms per cycle, JVM start included)", wall.toMillis() / 1000.0,
                cycles == 0 ? 0.0 : (double) wall.toMillis() / cycles));
        return t;
    }

    /** "slot b 2.0.0 good" from a CHECKED line: what booted, without the floor. */
    private static String bootedWhat(String checked) {
        String d = checked.substring("CHECKED ".length());
        int paren = d.indexOf(" (");
        String state = d.contains("on trial") ? " on trial" : " good";
        return (paren < 0 ? d : d.substring(0, paren)) + state;
    }

    private long calibrate(Path image) throws Exception {
        Child c = Child.start(this, image);
        String check = c.awaitCheck();
        if (!check.startsWith("CHECKED ")) {
            throw new IllegalStateException("calibration: " + check);
        }
        long start = System.nanoTime();
        String end = c.awaitDone();
        long micros = (System.nanoTime() - start) / 1000;
        c.kill();
        if (!end.equals("DONE")) {
            throw new IllegalStateException("calibration run of " + image.getFileName() + " ended with: " + end);
        }
        return micros;
    }

    private void setUp() throws Exception {
        Files.createDirectories(options.work());
        TestImages images = new TestImages(Files.createDirectories(options.work().resolve("images")));
        good = List.of(images.imageAddingDefault("2.0.0", 2), images.imageAddingDefault("3.0.0", 2));
        failing = images.imageAddingDefault("2.5.0" + KillCycleChild.MEANT_TO_FAIL, 2);
        DeviceLayout d = images.device(options.work().resolve("device"));
        SlotStore store = new SlotStore(d, TestImages.BOARD, FileOps.REAL, Clock.systemUTC());
        store.installFactory(images.image("1.0.0", 1));
        store.installRecovery(images.image("0.9.0", 1));
        String edit = "# edited on this device\ngreeting=hello from the device\n";
        Files.writeString(d.configDir(BundleDomain.APP).resolve("org.example.core.cfg"), edit);
        expected = options.work().resolve("expected-config");
        Files.createDirectories(expected.resolve("safety"));
        Files.createDirectories(expected.resolve("app"));
        Files.copy(images.defaultConfig(BundleDomain.SAFETY, "org.example.safety.cfg"), expected.resolve("safety/org.example.safety.cfg"));
        Files.writeString(expected.resolve("app/org.example.core.cfg"), edit);
        Files.copy(images.extraDefault(), expected.resolve("app").resolve(TestImages.EXTRA_DEFAULT));
        deviceDir = d.root();
    }

    /** One child process and its output lines. */
    private static final class Child {
        private final Process process;
        private final BufferedReader lines;
        private final List<String> seen = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(KillCycles k, Path image) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(CHILD_JVM);
            cmd.addAll(List.of("-cp", k.options.classpath(), KillCycleChild.class.getName(), "--device", k.deviceDir.toString(),
                    "--expected-config", k.expected.toString()));
            if (image != null) {
                cmd.addAll(List.of("--install", image.toString()));
            }
            // the last process's diagnostics stay for inspection
            return new Child(new ProcessBuilder(cmd).redirectError(k.options.work().resolve("last-process.err").toFile()).start());
        }

        /** The first line: CHECKED … or CHECK-FAILED … (or why there was none). */
        String awaitCheck() throws Exception {
            String l = readLine();
            return l == null ? "no check: the process ended (exit " + exitCode() + ")" : l;
        }

        /** Reads until DONE or a failure. */
        String awaitDone() throws Exception {
            for (String l; (l = readLine()) != null;) {
                if (l.equals("DONE") || l.startsWith("STEP-FAILED")) {
                    return l;
                }
            }
            return "the process ended (exit " + exitCode() + ")";
        }

        private String readLine() throws Exception {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                String l = f.get(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (l != null) {
                    seen.add(l);
                }
                return l;
            } catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                return "TIMEOUT: no line within " + CHILD_TIMEOUT.toSeconds() + " s";
            }
        }

        /**
         * SIGKILL (ProcessHandle.destroyForcibly sends it on Linux and, unlike Process's, leaves
         * the pipe open), then reads what the process printed before it died: the last PHASE
         * line names the step it died in ("done" after DONE).
         */
        String kill() throws Exception {
            boolean alive = process.isAlive();
            process.toHandle().destroyForcibly();
            process.waitFor();
            for (String l; (l = lines.readLine()) != null;) {
                seen.add(l);
            }
            String phase = "boot-check";
            for (String l : seen) {
                if (l.startsWith("PHASE ")) {
                    phase = l.substring("PHASE ".length());
                } else if (l.equals("DONE")) {
                    phase = "done";
                } else if (l.startsWith("STEP-FAILED")) {
                    return "FAILED " + l;
                }
            }
            if (!alive && !phase.equals("done")) {
                return "FAILED the process had ended by itself (exit " + process.exitValue() + ") in " + phase;
            }
            return phase;
        }

        void awaitExit() throws InterruptedException {
            if (!process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private String exitCode() {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "?";
            }
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
