package org.voltkeep.zones;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's runtime-config directory from a test. */
final class RuntimeConfig {
    private RuntimeConfig() {
    }

    static Path root() {
        String root = System.getProperty("voltkeep.root");
        if (root != null && !root.isBlank() && Files.isDirectory(Path.of(root, "runtime-config"))) {
            return Path.of(root, "runtime-config");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("runtime-config"))) {
                return p.resolve("runtime-config");
            }
        }
        throw new IllegalStateException("no runtime-config directory above " + Path.of("").toAbsolutePath());
    }

    static Path zones() {
        return root().resolve("zones");
    }
}
