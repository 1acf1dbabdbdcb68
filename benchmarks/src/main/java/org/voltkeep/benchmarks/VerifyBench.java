package org.voltkeep.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.voltkeep.image.BuiltImage;
import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageVerifier;
import org.voltkeep.image.VerifiedImage;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.rot.api.Zone;

/**
 * Benchmark (not a test) of signed-image verification: boot-to-ready with and without
 * verification, {@code voltkeep image verify} of a ~50 MB image against
 * {@code openssl dgst -sha256} and {@code jarsigner -verify}. Every figure is the median
 * of N runs after one warm-up run. Prints a table and writes it to
 * {@code benchmarks/results/verify-<date>.txt}.
 *
 * <p>Usage: {@code VerifyBench [--count N] [--root REPO_ROOT]}.
 */
public final class VerifyBench {
    static final String COMPATIBLE = "voltkeep-sim";
    static final String DOMAIN_MAIN = "org.voltkeep.launcher.DomainMain";
    /** A warm JVM: the JIT compiles the hashing, inflating and signature code over the first few verifications. */
    static final int IN_PROCESS_WARMUPS = 10;
    static final int BUNDLES = 40;
    static final int ENTRIES_PER_BUNDLE = 10;
    static final int ENTRY_BYTES = 128 * 1024; // 40 x 10 x 128 KiB = 50 MiB of incompressible data

    private final int count;
    private final Path root;
    private final Path launcherJar;
    private final Path java;
    private final Path jarsigner;
    private final Path voltkeep;
    private final String benchJar;
    private final StringBuilder report = new StringBuilder();

    private VerifyBench(int count, Path root) {
        this.count = count;
        this.root = root;
        this.launcherJar = root.resolve("launcher/target/voltkeep-launcher.jar");
        Path home = Paths.get(System.getProperty("java.home"));
        this.java = home.resolve("bin/java");
        this.jarsigner = home.resolve("bin/jarsigner");
        this.voltkeep = root.resolve("voltkeep");
        try {
            this.benchJar = Paths.get(VerifyBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        int count = 5;
        Path root = Paths.get(System.getProperty("voltkeep.root", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--root" -> root = Paths.get(args[++i]).toAbsolutePath().normalize();
                case "-h", "--help" -> {
                    System.out.println("usage: VerifyBench [--count N] [--root REPO_ROOT]   (N: repetitions after one warm-up, default 5)");
                    return;
                }
                default -> {
                    if (args[i].matches("\\d+")) {
                        count = Integer.parseInt(args[i]);
                    } else {
                        System.err.println("VerifyBench: unknown argument " + args[i]);
                        System.exit(2);
                    }
                }
            }
        }
        if (count < 1) {
            System.err.println("VerifyBench: --count must be at least 1");
            System.exit(2);
        }
        System.exit(new VerifyBench(count, root).run());
    }

    private int run() throws Exception {
        if (!Files.isRegularFile(launcherJar)) {
            System.err.println("VerifyBench: " + launcherJar + " is missing; build the reactor first (mvn -o -q verify -DskipTests)");
            return 2;
        }
        Path tmp = Files.createTempDirectory("voltkeep-verify-bench-");
        try {
            return bench(tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    private int bench(Path tmp) throws Exception {
        line("Voltkeep signed-image verification benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        line("machine: nproc " + Runtime.getRuntime().availableProcessors() + " (nproc command: " + shell("nproc") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        line("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        line("openssl: " + shell("openssl", "version"));
        line("each figure: median of " + count + " run(s) after 1 warm-up run; wall-clock times");
        line("load average at the start: " + loadAverage());
        line("");

        // a. the image
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        DevPki pki = DevPki.generate(tmp.resolve("pki"), clock);
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        ImageBuilder builder = new ImageBuilder(pki.imageKeys()).clock(clock)
                .workDir(Files.createDirectories(tmp.resolve("build-work"))).compatible(COMPATIBLE).version("1.0.0")
                .securityVersion(1);
        Random random = new Random(42);
        for (int i = 0; i < BUNDLES; i++) {
            String bsn = String.format(Locale.ROOT, "org.voltkeep.bench.b%02d", i);
            Path jar = inputs.resolve(bsn + ".jar");
            Files.write(jar, syntheticBundle(bsn, random));
            builder.bundle(jar, BundleDomain.APP, Zone.CORE);
        }
        Path image = tmp.resolve("bench.vkimg");
        BuiltImage built = builder.build(image);
        long imageBytes = Files.size(image);
        line(String.format(Locale.ROOT, "image: %d bundles (app domain, zone CORE), %.1f MB (%d bytes), manifest %s...",
                built.manifest().bundles().size(), imageBytes / 1e6, imageBytes, built.manifestSha256().substring(0, 16)));
        line("");

        // b. voltkeep verification, in-process and as the command line
        VerifyPolicy policy = VerifyPolicy.of(pki.anchors(), COMPATIBLE, 0);
        double inProcess = median(IN_PROCESS_WARMUPS, () -> {
            long t = System.nanoTime();
            VerifiedImage v = ImageVerifier.verify(image, policy);
            long ms = System.nanoTime() - t;
            if (v.bundles().size() != BUNDLES) {
                throw new IllegalStateException("verified " + v.bundles().size() + " bundles");
            }
            return ms / 1e6;
        });
        List<String> cli = List.of(voltkeep.toString(), "image", "verify", image.toString(), "--anchors", pki.anchorsFile().toString());
        double cold = median(() -> timeProcess(cli, tmp, true));

        // c. openssl and jarsigner
        double openssl = median(() -> timeProcess(List.of("openssl", "dgst", "-sha256", image.toString()), tmp, true));
        List<Path> jars = extractBundles(image, Files.createDirectories(tmp.resolve("extracted")));
        int[] jarsignerFailures = {0};
        double jarsignerSum = median(() -> {
            double sum = 0;
            for (Path jar : jars) {
                // the dev PKI's key store as trust store, so -strict can check the chain to its root
                sum += timeProcess(List.of(jarsigner.toString(), "-verify", "-strict", "-keystore", pki.keyStoreFile().toString(),
                        "-storetype", "PKCS12", "-storepass", new String(pki.password()), jar.toString()), tmp, false);
                if (lastExit != 0) {
                    jarsignerFailures[0]++;
                }
            }
            return sum;
        });
        double jarsignerStart = median(() -> timeProcess(List.of(jarsigner.toString(), "-help"), tmp, false));

        // d. boot to charging-ready: the product's verified boot, then on the same device the
        //    same domain processes (same command lines, bundles and framework) without verification
        List<double[]> boots = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            Path device = tmp.resolve("device-" + i);
            double[] b = boot(device, tmp);
            if (i > 0) {
                boots.add(b); // run 0 is the warm-up
            }
            deleteTree(device);
        }
        double bootTotal = medianOf(boots, 0);
        double launcherX = medianOf(boots, 1);
        double safetyPin = medianOf(boots, 2);
        double safetyWait = medianOf(boots, 3);
        double appPin = medianOf(boots, 4);
        double appWait = medianOf(boots, 5);
        double without = medianOf(boots, 6);
        double bootRatio = medianOf(boots, 7);
        double launcherPhase = medianOf(boots, 11);
        double domainsVerified = medianOf(boots, 12);
        double domainsUnverified = medianOf(boots, 13);
        double derived = medianOf(boots, 8);
        double derivedRatio = medianOf(boots, 9);

        // e. the table
        String rule = "-".repeat(100);
        line(rule);
        row("measurement", "value", "ratio", "goal", "status");
        line(rule);
        line("Boot to charging-ready (`voltkeep demo --scenario default --speed 200`, product image, "
                + (boots.isEmpty() ? 0 : (int) boots.get(0)[10]) + " bundles)");
        row("  boot to both domains ready, with verification (Y)", ms(bootTotal), "", "", "");
        row("  launcher, until it starts the safety domain", ms(launcherPhase), "", "", "");
        row("    of it verification, whole image, once (X)", ms(launcherX), "", "", "");
        row("  domains, safety start to application ready", ms(domainsVerified), "", "", "");
        row("    safety domain pin check (alongside its framework start)", ms(safetyPin), "", "", "");
        row("      of it on the path (waited for)", ms(safetyWait), "", "", "");
        row("    application domain pin check", ms(appPin), "", "", "");
        row("      of it on the path", ms(appWait), "", "", "");
        row("  same domain processes and bundles, no verification", ms(domainsUnverified), "", "", "");
        row("  without verification: Y - X - domains + domains unverified", ms(without), "", "", "");
        row("  with vs without verification (measured)", "", ratio(bootRatio), "<= 1.10x", met(bootRatio <= 1.10));
        row("  without verification, derived only: Y - X - the waits", ms(derived), "", "", "");
        row("  with vs without verification (derived only)", "", ratio(derivedRatio), "<= 1.10x", met(derivedRatio <= 1.10));
        StringBuilder runs = new StringBuilder("  each run, Y / X / domains verified / domains unverified (ms):");
        for (double[] b : boots) {
            runs.append(String.format(Locale.ROOT, "  %.0f/%.0f/%.0f/%.0f", b[0], b[1], b[12], b[13]));
        }
        line(runs.toString());
        line(String.format(Locale.ROOT, "Image verification, %.1f MB, %d bundles", imageBytes / 1e6, BUNDLES));
        row("  openssl dgst -sha256 (process)", ms(openssl), "1.00x", "", "");
        row("  voltkeep image verify, cold command line (process)", ms(cold), ratio(cold / openssl), "<= 2x vs openssl",
                met(cold / openssl <= 2.0));
        row("  ImageVerifier.verify in-process (warm JVM, " + IN_PROCESS_WARMUPS + " warm-up runs)", ms(inProcess), ratio(inProcess / openssl), "<= 2x vs openssl",
                met(inProcess / openssl <= 2.0));
        row("  jarsigner -verify -strict, one process per bundle, summed", ms(jarsignerSum), ratio(jarsignerSum / openssl),
                "", "");
        row("  jarsigner JVM start (jarsigner -help, once)", ms(jarsignerStart), "", "", "");
        row("  jarsigner summed minus " + jars.size() + " x JVM start", ms(jarsignerSum - jars.size() * jarsignerStart), "", "",
                "");
        row("  voltkeep image verify (cold) vs jarsigner summed", "", ratio(cold / jarsignerSum), "", "");
        line(rule);
        if (jarsignerFailures[0] > 0) {
            line("NOTE: jarsigner -verify -strict exited non-zero " + jarsignerFailures[0] + " time(s) (timings still counted).");
        }
        line("load average at the end: " + loadAverage());
        line("Notes:");
        line("- With verification: `voltkeep demo` (the product). The launcher verifies the slot once (X, its line");
        line("  `verified boot: ... checked in X ms`); each domain then checks its bundles' hashes against the verified");
        line("  manifest while its framework starts, and logs how long it waited for that check (safety.log, app.log).");
        line("- Without verification (measured): the boot splits at the moment the supervisor starts the safety domain");
        line("  (it writes that time at the top of safety.log). Before it, the launcher works alone: its verification X,");
        line("  and what a boot does anyway (boot state, boot counter, security log). After it, the domains start, up to");
        line("  the application domain's ready marker. On the same device right after each demo, this benchmark starts the");
        line("  same two domain processes with the command lines the supervisor used (captured while the demo ran), one");
        line("  after the other as the supervisor does, but with a benchmark-only main class (UnverifiedDomain, not in the");
        line("  product) that installs the same bundles into the same framework without any check, timed the same way.");
        line("  Without verification = Y - X - domains verified + domains unverified.");
        line("- Derived only: Y minus X minus the time each domain waited for its check; assumes the checks cost nothing");
        line("  while they run alongside the framework start.");
        line("- Boot ratios are per run; the table shows the median of each column separately.");
        line("- Processes are timed wall-clock from start to exit, JVM start included (cold). The command line is run");
        line("  through the `voltkeep` script, as a user runs it.");

        Path out = root.resolve("benchmarks/results");
        Files.createDirectories(out);
        Path file = out.resolve("verify-" + LocalDate.now() + ".txt");
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written to " + file);
        return 0;
    }

    /**
     * One verified boot (the demo) and one unverified boot of the same device; returns
     * {Y, X, pin safety, wait safety, pin app, wait app, without, Y/without, derived, Y/derived, bundles,
     * launcher before the domains, domains verified, domains unverified}.
     */
    private double[] boot(Path device, Path tmp) throws Exception {
        Path err = tmp.resolve("demo.err");
        Process demo = new ProcessBuilder(voltkeep.toString(), "demo", "--scenario", "default", "--speed", "200", "--json",
                "--device", device.toString())
                .directory(root.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        // the supervisor's domain command lines, exactly as it ran them
        Map<String, List<String>> domains = new LinkedHashMap<>();
        // the ready marker is removed when the demo stops its domains: take its time while it is there
        Path readyMarker = device.resolve("run/app.ready");
        Instant appReady = null;
        while (demo.isAlive()) {
            if (appReady == null) {
                try {
                    appReady = Files.getLastModifiedTime(readyMarker).toInstant();
                } catch (java.nio.file.NoSuchFileException e) {
                    // not ready yet
                }
            }
            demo.descendants().forEach(d -> {
                List<String> cmd = commandLine(d);
                int at = cmd.indexOf("--domain");
                if (cmd.contains(DOMAIN_MAIN) && at >= 0 && at + 1 < cmd.size()) {
                    domains.putIfAbsent(cmd.get(at + 1), cmd);
                }
            });
            Thread.sleep(20);
        }
        int rc = demo.waitFor();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (rc != 0) {
            throw new IllegalStateException("voltkeep demo exited " + rc + ":\n" + stderr);
        }
        if (!domains.containsKey("safety") || !domains.containsKey("app")) {
            throw new IllegalStateException("did not see both domain processes of the demo: " + domains.keySet());
        }
        Matcher x = Pattern.compile("verified boot: .*?(\\d+) bundles checked in (\\d+) ms").matcher(stderr);
        Matcher y = Pattern.compile("both domains ready in (\\d+) ms").matcher(stderr);
        if (!x.find() || !y.find()) {
            throw new IllegalStateException("cannot find the timing lines in the demo's output:\n" + stderr);
        }
        double bundles = Double.parseDouble(x.group(1));
        double lx = Double.parseDouble(x.group(2));
        double total = Double.parseDouble(y.group(1));
        double[] safety = pinCheck(device.resolve("data/logs/safety.log"));
        double[] app = pinCheck(device.resolve("data/logs/app.log"));
        // the boot's timeline: Y ends as the supervisor writes its state file, right after the
        // application domain's ready marker; the supervisor logs when it started safety
        Instant end = Files.getLastModifiedTime(device.resolve("run/supervisor.json")).toInstant();
        Instant start = end.minusMillis((long) total);
        Instant safetyStarted = supervisorStarted(device.resolve("data/logs/safety.log"));
        if (appReady == null) {
            throw new IllegalStateException("never saw " + readyMarker + " while the demo ran");
        }
        double launcher = millisBetween(start, safetyStarted);
        double domainsVerified = millisBetween(safetyStarted, appReady);
        double tail = millisBetween(appReady, end);
        double domainsUnverified = unverifiedBoot(device, domains.get("safety"), domains.get("app"));
        double without = launcher - lx + domainsUnverified + tail;
        double derived = total - lx - safety[1] - app[1];
        return new double[] {total, lx, safety[0], safety[1], app[0], app[1], without, total / without, derived,
            total / derived, bundles, launcher, domainsVerified, domainsUnverified};
    }

    private static double millisBetween(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e6;
    }

    /** When the supervisor started a domain, from the line it writes at the top of the domain's log. */
    private static Instant supervisorStarted(Path log) throws IOException {
        Matcher m = Pattern.compile("\\[voltkeep supervisor\\] (\\S+) starting the").matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no supervisor start line in " + log);
        }
        return Instant.parse(m.group(1));
    }

    /** {check duration, time waited for it} from a domain's log. */
    private static double[] pinCheck(Path log) throws IOException {
        Matcher m = Pattern.compile("bundles checked in (\\d+) ms, alongside the framework's start \\((\\d+) ms waited")
                .matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no pin check line in " + log);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /**
     * Starts the two domains as the supervisor does (safety, wait until ready, application,
     * wait until ready), with {@link UnverifiedDomain} as the main class; returns the time
     * from starting safety to the application domain being ready. Stops both afterwards.
     */
    private double unverifiedBoot(Path device, List<String> safetyCommand, List<String> appCommand) throws Exception {
        List<Process> started = new ArrayList<>();
        try {
            Instant t0 = Instant.now();
            for (List<String> cmd : List.of(safetyCommand, appCommand)) {
                List<String> unverified = unverifiedCommand(cmd);
                String domain = cmd.get(cmd.indexOf("--domain") + 1);
                Path log = device.resolve("data/logs/unverified-" + domain + ".log");
                Process p = new ProcessBuilder(unverified).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                started.add(p);
                awaitReady(device.resolve("run/" + domain + ".ready"), p, log);
            }
            // measured as the verified boot is: to the ready marker's time
            return millisBetween(t0, Files.getLastModifiedTime(device.resolve("run/app.ready")).toInstant());
        } finally {
            for (Process p : started) { // safety first, as the product stops
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The supervisor's domain command line with the benchmark's unverified main class, and no pin. */
    private List<String> unverifiedCommand(List<String> cmd) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cmd.size(); i++) {
            String s = cmd.get(i);
            if (s.equals("-cp") || s.equals("-classpath")) {
                out.add(s);
                out.add(cmd.get(++i) + File.pathSeparator + benchJar);
            } else if (s.equals(DOMAIN_MAIN)) {
                out.add(UnverifiedDomain.class.getName());
            } else if (s.equals("--manifest-sha256")) {
                i++;
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static void awaitReady(Path marker, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(marker) && Files.readString(marker).trim().equals(Long.toString(p.pid()))) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("unverified domain exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(20); // as the supervisor polls
        }
        throw new IllegalStateException("unverified domain not ready after 60 s: " + Files.readString(log));
    }

    private static List<String> commandLine(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        List<String> cmd = new ArrayList<>();
        info.command().ifPresent(cmd::add);
        info.arguments().ifPresent(a -> cmd.addAll(List.of(a)));
        return cmd;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unavailable";
        }
    }

    private static byte[] syntheticBundle(String bsn, Random random) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            String dir = bsn.replace('.', '/');
            for (int i = 0; i < ENTRIES_PER_BUNDLE; i++) {
                byte[] data = new byte[ENTRY_BYTES];
                random.nextBytes(data);
                jar.putNextEntry(new JarEntry(dir + "/data-" + i + ".bin"));
                jar.write(data);
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static List<Path> extractBundles(Path image, Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (ZipFile zip = new ZipFile(image.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                if (e.getName().startsWith("bundles/") && e.getName().endsWith(".jar")) {
                    Path out = dir.resolve(e.getName().replace('/', '_'));
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                    jars.add(out);
                }
            }
        }
        return jars;
    }

    private int lastExit;

    /** Wall time in ms of a process from start to exit; output discarded. */
    private double timeProcess(List<String> command, Path tmp, boolean mustSucceed) throws Exception {
        Path err = tmp.resolve("process.err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        long t = System.nanoTime();
        int rc = pb.start().waitFor();
        double ms = (System.nanoTime() - t) / 1e6;
        lastExit = rc;
        if (mustSucceed && rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + rc + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return ms;
    }

    private double median(Callable<Double> run) throws Exception {
        return median(1, run);
    }

    private double median(int warmups, Callable<Double> run) throws Exception {
        for (int i = 0; i < warmups; i++) {
            run.call();
        }
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = run.call();
        }
        return median(v);
    }

    private static double medianOf(List<double[]> rows, int column) {
        return median(rows.stream().mapToDouble(r -> r[column]).toArray());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String shell(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return s;
        } catch (IOException | InterruptedException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private void row(String what, String value, String ratio, String goal, String status) {
        line(String.format(Locale.ROOT, "%-62s %10s %8s %17s %s", what, value, ratio, goal, status).stripTrailing());
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String met(boolean ok) {
        return ok ? "met" : "NOT met";
    }

    private void line(String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("VerifyBench: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
