package org.voltkeep.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageKeys;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Real signed images for slot tests: a fresh development PKI, two small real bundles
 * (one per domain) and a configuration default per domain, built by the image library
 * into images of any version and security version; devices provisioned (soft root of
 * trust, field trust) to trust that PKI.
 */
final class TestImages {
    static final String BOARD = "sim";
    final Path dir;
    final Clock clock = Clock.systemUTC();
    final DevPki pki;
    private final Map<String, Path> built = new HashMap<>();

    TestImages(Path dir) throws Exception {
        this.dir = dir;
        this.pki = DevPki.generate(dir.resolve("pki"), clock);
        Files.write(dir.resolve("safety.jar"), bundle("org.example.safety", "1.0.0"));
        Files.write(dir.resolve("core.jar"), bundle("org.example.core", "1.0.0"));
        Files.createDirectories(dir.resolve("config/safety"));
        Files.createDirectories(dir.resolve("config/app"));
        Files.writeString(dir.resolve("config/safety/org.example.safety.cfg"), "maxCurrentAmps=32\n");
        Files.writeString(dir.resolve("config/app/org.example.core.cfg"), "greeting=hello\n");
    }

    /** A valid image of this version and security version (built once, then reused). */
    Path image(String version, long securityVersion) throws Exception {
        String key = version + "/" + securityVersion;
        Path p = built.get(key);
        if (p == null) {
            p = dir.resolve("v" + version + "-sv" + securityVersion + ".vkimg");
            builder(pki.imageKeys(), "voltkeep-" + BOARD).version(version).securityVersion(securityVersion).build(p);
            built.put(key, p);
        }
        return p;
    }

    /** The default configuration file that only {@link #imageAddingDefault} images carry (application domain). */
    static final String EXTRA_DEFAULT = "org.example.extra.cfg";

    /** A valid image like {@link #image}, with one more default configuration file: {@link #EXTRA_DEFAULT}. */
    Path imageAddingDefault(String version, long securityVersion) throws Exception {
        String key = version + "/" + securityVersion + "/extra";
        Path p = built.get(key);
        if (p == null) {
            p = dir.resolve("v" + version + "-sv" + securityVersion + "-extra.vkimg");
            builder(pki.imageKeys(), "voltkeep-" + BOARD).version(version).securityVersion(securityVersion)
                    .configFile(BundleDomain.APP, extraDefault()).build(p);
            built.put(key, p);
        }
        return p;
    }

    /** The content of {@link #EXTRA_DEFAULT} as those images carry it. */
    Path extraDefault() throws IOException {
        Path f = dir.resolve("extra").resolve(EXTRA_DEFAULT);
        if (!Files.exists(f)) {
            Files.createDirectories(f.getParent());
            Files.writeString(f, "# a default the next image adds\nretries=4\n");
        }
        return f;
    }

    /** The image's default configuration file {@code name} of {@code domain}, as every image of this set carries it. */
    Path defaultConfig(BundleDomain domain, String name) {
        return dir.resolve("config").resolve(domain.id()).resolve(name);
    }

    /** Signed by a PKI the device does not trust. */
    Path untrusted(String version) throws Exception {
        DevPki other = DevPki.generate(dir.resolve("other-pki-" + version), clock);
        Path p = dir.resolve("untrusted-" + version + ".vkimg");
        builder(other.imageKeys(), "voltkeep-" + BOARD).version(version).securityVersion(5).build(p);
        return p;
    }

    /** Built for other hardware. */
    Path incompatible(String version) throws Exception {
        Path p = dir.resolve("pi4j-" + version + ".vkimg");
        builder(pki.imageKeys(), "voltkeep-pi4j").version(version).securityVersion(5).build(p);
        return p;
    }

    /** A copy of {@code good} with one byte changed inside a bundle. */
    Path tampered(Path good) throws IOException {
        byte[] b = Files.readAllBytes(good);
        b[b.length / 3] ^= 0x01;
        Path p = dir.resolve("tampered-" + good.getFileName());
        Files.write(p, b);
        return p;
    }

    /** A provisioned device (no slots yet). */
    DeviceLayout device(Path root) throws Exception {
        DeviceLayout d = new DeviceLayout(Files.createDirectories(root));
        d.createDirectories();
        Provisioner.provision(d, pki.anchorsFile(), BackendKind.SOFT, null, TrustMode.FIELD, false);
        return d;
    }

    SlotStore store(DeviceLayout d, FileOps files) {
        return new SlotStore(d, BOARD, files, clock);
    }

    private ImageBuilder builder(ImageKeys keys, String compatible) throws IOException {
        return new ImageBuilder(keys).clock(clock).workDir(Files.createDirectories(dir.resolve("work"))).compatible(compatible)
                .bundle(dir.resolve("safety.jar"), BundleDomain.SAFETY, Zone.SAFETY)
                .bundle(dir.resolve("core.jar"), BundleDomain.APP, Zone.CORE)
                .configDir(BundleDomain.SAFETY, dir.resolve("config/safety"))
                .configDir(BundleDomain.APP, dir.resolve("config/app"));
    }

    static byte[] bundle(String symbolicName, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new JarEntry(symbolicName.replace('.', '/') + "/about.txt"));
            jar.write(("bundle " + symbolicName + " " + version + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out.toByteArray();
    }
}
