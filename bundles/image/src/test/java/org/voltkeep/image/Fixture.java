package org.voltkeep.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * One good image made with a fresh development PKI in a temporary directory: a safety
 * bundle, a contract bundle in both domains, a core and a network bundle, two
 * configuration files. Everything else is derived from it.
 */
final class Fixture {
    static final String COMPATIBLE = "voltkeep-sim";
    static final String SAFETY = "org.example.safety";
    static final String CONTRACT = "org.example.contract";
    static final String CORE = "org.example.core";
    static final String NET = "org.example.net";

    final Path dir;
    final Clock clock;
    final DevPki pki;
    final Path inputs;
    final Path image;
    final byte[] imageBytes;
    final BuiltImage built;

    Fixture(Path dir) throws Exception {
        this.dir = dir;
        this.clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        this.pki = DevPki.generate(dir.resolve("pki"), clock);
        this.inputs = Files.createDirectories(dir.resolve("inputs"));
        Files.write(jar(SAFETY), TestBundles.bundle(SAFETY, "1.0.0"));
        Files.write(jar(CONTRACT), TestBundles.bundle(CONTRACT, "2.1.0.SNAPSHOT"));
        Files.write(jar(CORE), TestBundles.bundle(CORE, "1.0.0"));
        Files.write(jar(NET), TestBundles.bundle(NET, "0.9.0"));
        Path cfg = Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(cfg.resolve("safety"));
        Files.createDirectories(cfg.resolve("app"));
        Files.writeString(cfg.resolve("safety/org.example.safety.cfg"), "maxCurrentAmps=32\n", StandardCharsets.UTF_8);
        Files.writeString(cfg.resolve("app/org.example.core.cfg"), "sessionsDir=${voltkeep.data.dir}/sessions\n", StandardCharsets.UTF_8);
        this.image = dir.resolve("good.img");
        this.built = builder(pki.imageKeys()).securityVersion(3).version("1.2.0").build(image);
        this.imageBytes = Files.readAllBytes(image);
    }

    Path jar(String symbolicName) {
        return inputs.resolve(symbolicName + ".jar");
    }

    /** A builder loaded with the fixture's bundles and configuration. */
    ImageBuilder builder(ImageKeys keys) throws Exception {
        return load(new ImageBuilder(keys));
    }

    /** {@code b} loaded with the fixture's bundles and configuration. */
    ImageBuilder load(ImageBuilder b) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        return b
                .clock(clock)
                .workDir(work)
                .compatible(COMPATIBLE)
                .version("1.2.0")
                .bundle(jar(SAFETY), BundleDomain.SAFETY, Zone.SAFETY)
                .bundle(jar(CONTRACT), BundleDomain.SAFETY, Zone.SAFETY)
                .bundle(jar(CONTRACT), BundleDomain.APP, Zone.CORE)
                .bundle(jar(CORE), BundleDomain.APP, Zone.CORE)
                .bundle(jar(NET), BundleDomain.APP, Zone.NETWORK)
                .configDir(BundleDomain.SAFETY, dir.resolve("config/safety"))
                .configDir(BundleDomain.APP, dir.resolve("config/app"));
    }

    VerifyPolicy policy() throws Exception {
        return new VerifyPolicy(pki.anchors(), COMPATIBLE, 0, TrustMode.FIELD, VerifyPolicy.Limits.DEFAULT, clock);
    }

    static String path(BundleDomain d, String symbolicName) {
        return ImageFormat.bundlePath(d, symbolicName);
    }
}
