package org.voltkeep.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

import org.voltkeep.image.BundleDomain;

/**
 * Where this launcher's own files are: the runtime bundles it packs into images, the
 * development image and PKI the build made, the runtime configuration defaults and the
 * class path for domain processes. In a source tree {@code home} is the repository
 * root; on a device it is the read-only installation directory.
 */
record Installation(Path home, Path bundles, Path runtimeConfig, Path launcherJar) {

    static final String HOME_PROPERTY = "voltkeep.home";

    static Installation locate() throws UsageException {
        String h = System.getProperty(HOME_PROPERTY);
        if (h == null) {
            throw new UsageException("system property " + HOME_PROPERTY + " is not set; start the launcher with the voltkeep script");
        }
        Path home = Path.of(h).toAbsolutePath().normalize();
        Path bundles = home.resolve("launcher/target/bundles");
        Path jar = home.resolve("launcher/target/voltkeep-launcher.jar");
        Path config = home.resolve("runtime-config");
        if (!Files.isDirectory(bundles) || !Files.isRegularFile(jar)) {
            throw new UsageException("no built runtime under " + home + " (run: mvn -q install -DskipTests)");
        }
        return new Installation(home, bundles, config, jar);
    }

    Path bundleList() {
        return runtimeConfig.resolve("image/bundles.list");
    }

    Path scenarios() {
        return runtimeConfig.resolve("scenarios");
    }

    Path defaultConfig(BundleDomain domain) {
        return runtimeConfig.resolve("config").resolve(domain.id());
    }

    Path boardConfig(String board) {
        return runtimeConfig.resolve("boards").resolve(board);
    }

    /** The development PKI the build generated (never committed, never on a field device). */
    Path devPki() {
        return home.resolve("launcher/target/dev-pki");
    }

    /**
     * The recovery image of this build (slot R of a new device), when the build made one:
     * what a charger falls back to when neither A nor B boots.
     */
    Path recoveryImage() {
        return home.resolve("recovery-image/target/voltkeep-recovery.vkimg");
    }

    /** The image of this build, signed with the development PKI. */
    Path devImage() {
        return home.resolve("launcher/target/voltkeep-dev.vkimg");
    }
}
