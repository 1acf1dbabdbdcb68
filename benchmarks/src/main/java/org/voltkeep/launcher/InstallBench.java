package org.voltkeep.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Benchmark (not a test) of installing a ~50 MB signed image into the inactive slot
 * ({@link SlotStore#install}: staging copy, fsync, full verification, swap) against
 * {@code cp} + {@code sha256sum} + {@code sync} of the same file. In the launcher's
 * package because the slot store is package-private. Every figure is the median of N
 * runs after one warm-up run. Prints a table and writes it to
 * {@code benchmarks/results/install-<date>.txt}.
 *
 * <p>Usage: {@code InstallBench [--count N] [--root REPO_ROOT]}.
 */
public final class InstallBench {
    static final String BOARD = "sim";
    static final int BUNDLES = 40;
    static final int ENTRIES_PER_BUNDLE = 10;
    static final int ENTRY_BYTES = 128 * 1024; // 40 x 10 x 128 KiB = 50 MiB of incompressible data
    static final double GOAL = 1.5;

    private final int count;
    private final Path root;
    private final StringBuilder report = new StringBuilder();

    private InstallBench(int count, Path root) {
        this.count = count;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        int count = 5;
        Path root = Paths.get(System.getProperty("voltkeep.root", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9]\\d*")) {
                        System.err.println("InstallBench: --count needs a positive number");
                        System.exit(2);
                    }
                    count = Integer.parseInt(args[++i]);
                }
                case "--root" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("InstallBench: --root needs a directory");
                        System.exit(2);
                    }
                    root = Paths.get(args[++i]).toAbsolutePath().normalize();
                }
                case "-h", "--help" -> {
                    System.out.println("usage: InstallBench [--count N] [--root REPO_ROOT]   (N: runs after one warm-up, default 5)");
                    return;
                }
                default -> {
                    System.err.println("InstallBench: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.exit(new InstallBench(count, root).run());
    }

    private int run() throws Exception {
        // under the build directory, not /tmp: /tmp may be a RAM file system, where fsync and sync cost nothing
        Path work = Files.createDirectories(root.resolve("benchmarks/target"));
        Path tmp = Files.createTempDirectory(work, "install-bench-");
        try {
            return bench(tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    private int bench(Path tmp) throws Exception {
        line("Voltkeep image install benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        line("machine: nproc " + Runtime.getRuntime().availableProcessors() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        line("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        line("file system type of the work directory (stat -f): " + shell("stat", "-f", "-c", "%T", tmp.toString()));
        line("load average at start: " + loadAverage());
        line("each figure: median of " + count + " run(s) after 1 warm-up run; wall-clock times");
        line("");

        // a. a PKI whose anchors the device trusts, and the images it signs
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        DevPki pki = DevPki.generate(tmp.resolve("pki"), clock);
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Random random = new Random(42);
        Path factory = tmp.resolve("factory.vkimg");
        image(pki, clock, tmp, "1.0.0", 1, inputs, random, "org.voltkeep.bench.factory").build(factory);
        Path image = tmp.resolve("update.vkimg");
        ImageBuilder update = image(pki, clock, tmp, "1.1.0", BUNDLES, inputs, random, "org.voltkeep.bench.b");
        update.build(image);
        long imageBytes = Files.size(image);

        // b. the device, as `voltkeep init` makes it: soft root of trust in development trust, factory image in slot A
        DeviceLayout template = new DeviceLayout(tmp.resolve("device-template"));
        template.createDirectories();
        try {
            Provisioner.provision(template, pki.anchorsFile(), BackendKind.SOFT, null, TrustMode.DEVELOPMENT, false);
        } catch (RotException e) {
            throw new IOException("cannot provision " + template.root() + ": " + e.getMessage(), e);
        }
        new SlotStore(template, BOARD, FileOps.REAL, Clock.systemUTC()).installFactory(factory);
        line(String.format(Locale.ROOT, "image: %d bundles (app domain, zone CORE), %.1f MB (%d bytes), compatible %s, "
                + "security version 1", BUNDLES, imageBytes / 1e6, imageBytes, BootVerifier.compatibleFor(BOARD)));
        line("device: soft root of trust, development trust, slot A good (factory image 1.0.0), slot B empty; "
                + "the update goes to B");
        line("");

        // c. both timings, interleaved, in the same run
        double[] install = new double[count];
        double[] pipeline = new double[count];
        for (int i = 0; i <= count; i++) {
            double in = timeInstall(template, image, tmp.resolve("device-" + i));
            double cp = timePipeline(image, tmp.resolve("copy-" + i + ".vkimg"));
            if (i > 0) { // run 0 is the warm-up
                install[i - 1] = in;
                pipeline[i - 1] = cp;
            }
        }
        double[] ratios = new double[count];
        for (int i = 0; i < count; i++) {
            ratios[i] = install[i] / pipeline[i];
        }
        double mi = median(install);
        double mp = median(pipeline);
        double ratio = mi / mp;

        String rule = "-".repeat(100);
        line(rule);
        row("measurement", "value", "ratio", "goal", "status");
        line(rule);
        row("  cp IMAGE DEST && sha256sum DEST && sync (bash, processes)", ms(mp), "1.00x", "", "");
        row("  SlotStore.install into slot B (in-process, warm JVM)", ms(mi), ratio(ratio), "<= 1.50x vs cp",
                ratio <= GOAL ? "met" : "NOT met");
        row("  (per-run ratios: median)", "", ratio(median(ratios)), "", "");
        line(rule);
        line("runs, install ms: " + list(install));
        line("runs, cp+sha256sum+sync ms: " + list(pipeline));
        line("load average at end: " + loadAverage());
        line("Notes:");
        line("- The install is SlotStore.install, which a running launcher calls for `voltkeep update`: copy into");
        line("  staging, fsync the file and the directory, verify the staged copy as boot does (BootVerifier), swap");
        line("  it in, write the boot state. No request over the boot socket, no activation, no reboot. It runs");
        line("  in this JVM, warmed up by the earlier runs; each run gets a fresh copy of the device, made before");
        line("  its timer starts.");
        line("- The pipeline is `bash -c 'cp IMAGE DEST && sha256sum DEST >/dev/null && sync'`, timed as a process");
        line("  (bash, cp, sha256sum and sync each start), to a fresh destination on the same file system.");
        line("- The source image is in the page cache for both; `sync` flushes the whole system, the install");
        line("  fsyncs only its own files.");
        line("- Both run on the same CPUs as anything else on the machine: a load average above nproc at start or");
        line("  end means the figures include waiting for a core (see the per-run values).");

        Path out = Files.createDirectories(root.resolve("benchmarks/results"));
        Path file = out.resolve("install-" + LocalDate.now() + ".txt");
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written to " + file);
        return 0;
    }

    private static ImageBuilder image(DevPki pki, Clock clock, Path tmp, String version, int bundles, Path inputs,
            Random random, String prefix) throws Exception {
        ImageBuilder builder = new ImageBuilder(pki.imageKeys()).clock(clock)
                .workDir(Files.createDirectories(tmp.resolve("build-work-" + version)))
                .compatible(BootVerifier.compatibleFor(BOARD)).version(version).securityVersion(1);
        for (int i = 0; i < bundles; i++) {
            String bsn = String.format(Locale.ROOT, "%s%02d", prefix, i);
            Path jar = inputs.resolve(bsn + ".jar");
            Files.write(jar, syntheticBundle(bsn, random));
            builder.bundle(jar, BundleDomain.APP, Zone.CORE);
        }
        return builder;
    }

    /** One install into a fresh copy of the device; returns its wall time in ms. */
    private static double timeInstall(DeviceLayout template, Path image, Path copy) throws Exception {
        copyTree(template.root(), copy);
        DeviceLayout device = new DeviceLayout(copy);
        SlotStore store = new SlotStore(device, BOARD, FileOps.REAL, Clock.systemUTC());
        long t = System.nanoTime();
        SlotStore.Installed done = store.install(image, Slot.A, SlotStore.Progress.NONE);
        double ms = (System.nanoTime() - t) / 1e6;
        BootState st = store.state();
        if (done.slot() != Slot.B || st.slot(Slot.B).state() != SlotState.TRIAL
                || Files.size(device.slotImage(Slot.B.id())) != Files.size(image)) {
            throw new IllegalStateException("the install did not leave the image in slot B on trial: " + done + ", " + st);
        }
        deleteTree(copy);
        return ms;
    }

    /** {@code cp} + {@code sha256sum} + {@code sync} of the image to {@code dest}; returns its wall time in ms. */
    private static double timePipeline(Path image, Path dest) throws Exception {
        String script = "cp \"$1\" \"$2\" && sha256sum \"$2\" >/dev/null && sync";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "bash", image.toString(), dest.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        long t = System.nanoTime();
        int rc = pb.start().waitFor();
        double ms = (System.nanoTime() - t) / 1e6;
        if (rc != 0 || Files.size(dest) != Files.size(image)) {
            throw new IllegalStateException("cp + sha256sum + sync exited " + rc);
        }
        Files.delete(dest);
        return ms;
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

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String list(double[] v) {
        return String.join(", ", Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.0f", d)).toList());
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
            System.err.println("InstallBench: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
