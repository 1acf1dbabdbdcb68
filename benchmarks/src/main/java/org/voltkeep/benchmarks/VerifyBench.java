package org.voltkeep.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
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
    static final int BUNDLES = 40;
    static final int ENTRIES_PER_BUNDLE = 10;
    static final int ENTRY_BYTES = 128 * 1024; // 40 x 10 x 128 KiB = 50 MiB of incompressible data

    private final int count;
    private final Path root;
    private final Path launcherJar;
    private final Path java;
    private final Path jarsigner;
    private final StringBuilder report = new StringBuilder();

    private VerifyBench(int count, Path root) {
        this.count = count;
        this.root = root;
        this.launcherJar = root.resolve("launcher/target/voltkeep-launcher.jar");
        Path home = Paths.get(System.getProperty("java.home"));
        this.java = home.resolve("bin/java");
        this.jarsigner = home.resolve("bin/jarsigner");
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
            System.err.println("VerifyBench: " + launcherJar + " is missing; run mvn install first");
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
        double inProcess = median(() -> {
            long t = System.nanoTime();
            VerifiedImage v = ImageVerifier.verify(image, policy);
            long ms = System.nanoTime() - t;
            if (v.bundles().size() != BUNDLES) {
                throw new IllegalStateException("verified " + v.bundles().size() + " bundles");
            }
            return ms / 1e6;
        });
        List<String> cli = List.of(java.toString(), "-Dvoltkeep.home=" + root, "-jar", launcherJar.toString(), "image", "verify",
                image.toString(), "--anchors", pki.anchorsFile().toString());
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

        // d. boot to charging-ready
        List<double[]> boots = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            double[] b = boot(tmp.resolve("device-" + i), tmp);
            if (i > 0) {
                boots.add(b); // run 0 is the warm-up
            }
        }
        double bootTotal = medianOf(boots, 0);
        double launcherX = medianOf(boots, 1);
        double safetyZ = medianOf(boots, 2);
        double appZ = medianOf(boots, 3);
        double verifySeq = medianOf(boots, 4);
        double verifyMax = medianOf(boots, 5);
        double bootRatio = medianOf(boots, 6);
        double bootRatioMax = medianOf(boots, 7);

        // e. the table
        String rule = "-".repeat(100);
        line(rule);
        row("measurement", "value", "ratio", "goal", "status");
        line(rule);
        line("Boot to charging-ready (`voltkeep demo --scenario default --speed 200`, product image, "
                + (boots.isEmpty() ? 0 : (int) boots.get(0)[8]) + " bundles)");
        row("  boot to both domains ready, with verification", ms(bootTotal), "", "", "");
        row("  launcher verification (X)", ms(launcherX), "", "", "");
        row("  safety domain verification (Z safety)", ms(safetyZ), "", "", "");
        row("  application domain verification (Z app)", ms(appZ), "", "", "");
        row("  verification on the path: X + Z safety + Z app", ms(verifySeq), "", "", "");
        row("  without verification (derived: total - X - Z safety - Z app)", ms(bootTotal - verifySeq), "", "", "");
        row("  with vs without verification", "", ratio(bootRatio), "<= 1.10x", met(bootRatio <= 1.10));
        row("  (variant: X + max(Z) only, as first specified)", ms(verifyMax), ratio(bootRatioMax), "<= 1.10x",
                met(bootRatioMax <= 1.10));
        line(String.format(Locale.ROOT, "Image verification, %.1f MB, %d bundles", imageBytes / 1e6, BUNDLES));
        row("  openssl dgst -sha256 (process)", ms(openssl), "1.00x", "", "");
        row("  voltkeep image verify, cold command line (process)", ms(cold), ratio(cold / openssl), "<= 2x vs openssl",
                met(cold / openssl <= 2.0));
        row("  ImageVerifier.verify in-process (warm JVM)", ms(inProcess), ratio(inProcess / openssl), "<= 2x vs openssl",
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
        line("Notes:");
        line("- \"Without verification\" is derived by subtraction; the product has no way to boot without verifying,");
        line("  and this benchmark adds none. X is the launcher's `verified boot: ... checked in X ms`; each domain's Z is");
        line("  its log line `image ... verified (...) in Z ms` (DEVICE/data/logs/safety.log, app.log).");
        line("- The domains start one after the other (safety ready, then application), so all three verifications lie");
        line("  on the path to ready; the variant row counts only the larger domain figure.");
        line("- Boot runs are per-run ratios; the table shows the median of each column separately.");
        line("- Processes are timed wall-clock from start to exit, JVM start included (cold).");

        Path out = root.resolve("benchmarks/results");
        Files.createDirectories(out);
        Path file = out.resolve("verify-" + LocalDate.now() + ".txt");
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written to " + file);
        return 0;
    }

    /** One demo boot; returns {total, X, Zsafety, Zapp, X+Zs+Za, X+max(Z), ratioSeq, ratioMax, bundles}. */
    private double[] boot(Path device, Path tmp) throws Exception {
        Path err = tmp.resolve("demo.err");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Dvoltkeep.home=" + root, "-jar", launcherJar.toString(), "demo",
                "--scenario", "default", "--speed", "200", "--json", "--device", device.toString())
                .directory(root.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        int rc = pb.start().waitFor();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (rc != 0) {
            throw new IllegalStateException("voltkeep demo exited " + rc + ":\n" + stderr);
        }
        Matcher x = Pattern.compile("verified boot: .*?(\\d+) bundles checked in (\\d+) ms").matcher(stderr);
        Matcher y = Pattern.compile("both domains ready in (\\d+) ms").matcher(stderr);
        if (!x.find() || !y.find()) {
            throw new IllegalStateException("cannot find the timing lines in the demo's output:\n" + stderr);
        }
        double bundles = Double.parseDouble(x.group(1));
        double lx = Double.parseDouble(x.group(2));
        double total = Double.parseDouble(y.group(1));
        double zs = domainVerify(device.resolve("data/logs/safety.log"));
        double za = domainVerify(device.resolve("data/logs/app.log"));
        double seq = lx + zs + za;
        double max = lx + Math.max(zs, za);
        deleteTree(device);
        return new double[] {total, lx, zs, za, seq, max, total / (total - seq), total / (total - max), bundles};
    }

    private static double domainVerify(Path log) throws IOException {
        Matcher m = Pattern.compile("image .* verified \\(.*\\) in (\\d+) ms").matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no verification line in " + log);
        }
        return Double.parseDouble(m.group(1));
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
        run.call(); // warm-up
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
