package org.voltkeep.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.ImageFormat;
import org.voltkeep.image.ImageManifest;
import org.voltkeep.image.ManifestBundle;
import org.voltkeep.rot.api.spi.AtomicFiles;

/**
 * Benchmark only, never part of the product: a domain process that starts the same
 * framework with the same bundles as the launcher's {@code DomainMain}, from the same slot
 * image, but without any check (no pin, no hash). {@link VerifyBench} starts it with the
 * domain command line the supervisor used in a verified boot, so that boot and this one
 * differ only in verification. The framework properties mirror {@code DomainMain}'s; keep
 * them in step.
 *
 * <p>Usage (as {@code DomainMain}): {@code --domain D --device DIR --slot S --board B --speed X [--shell]}.
 */
public final class UnverifiedDomain {
    private UnverifiedDomain() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--shell")) {
                a.put("shell", "true");
            } else if (argv[i].startsWith("--") && i + 1 < argv.length) {
                a.put(argv[i].substring(2), argv[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + argv[i]);
            }
        }
        BundleDomain domain = BundleDomain.of(a.get("domain"));
        Path device = Path.of(a.get("device")).toAbsolutePath().normalize();
        Path run = device.resolve("run");
        Path data = device.resolve("data");
        Path ready = run.resolve(domain.id() + ".ready");
        Files.deleteIfExists(ready);

        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, run.resolve("felix-" + domain.id()).toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.net");
        p.put("voltkeep.device", device.toString());
        p.put("voltkeep.domain", domain.id());
        p.put("voltkeep.config.dir", data.resolve("config").resolve(domain.id()).toString());
        p.put("voltkeep.run.dir", run.toString());
        p.put("voltkeep.data.dir", data.toString());
        p.put("voltkeep.sim.speed", Double.toString(Double.parseDouble(a.getOrDefault("speed", "1"))));
        p.put("voltkeep.board", a.getOrDefault("board", "sim"));
        p.put("gosh.args", a.containsKey("shell") ? "" : "--nointeractive");
        p.put("gosh.home", run.toString());
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(p);
        framework.init();
        List<Bundle> installed = new ArrayList<>();
        Path image = device.resolve("slots").resolve(a.get("slot")).resolve("image.vkimg");
        try (ZipFile zip = new ZipFile(image.toFile())) {
            ImageManifest manifest = ImageManifest.parse(read(zip, ImageFormat.MANIFEST));
            for (ManifestBundle b : manifest.bundles(domain)) {
                try (InputStream in = zip.getInputStream(zip.getEntry(b.path()))) {
                    installed.add(framework.getBundleContext().installBundle("voltkeep:slot/" + a.get("slot") + "/" + b.path(), in));
                }
            }
        }
        framework.start();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                framework.stop();
                framework.waitForStop(10_000);
            } catch (Exception e) {
                // the process is ending anyway
            }
        }));
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> new Thread(() -> System.exit(0)).start()));
        // written as the product writes its ready marker (new file, fsync, rename, fsync the directory)
        AtomicFiles.write(ready, Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"));
        System.err.println("[unverified " + domain.id() + "] ready: " + installed.size() + " bundles active (no verification)");
        framework.waitForStop(0);
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException("no " + name + " in the image");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
