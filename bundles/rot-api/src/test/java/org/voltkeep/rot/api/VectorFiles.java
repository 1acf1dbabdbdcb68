package org.voltkeep.rot.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared test vectors: {@code <project root>/../shared/vectors/}. */
final class VectorFiles {

    private VectorFiles() {
    }

    static Path wycheproof() {
        Path dir = projectRoot().resolve("..").resolve("shared").resolve("vectors").resolve("wycheproof").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Wycheproof vectors not found at " + dir + " (expected <project root>/../shared/vectors/wycheproof)");
        }
        return dir;
    }

    /** The system property {@code voltkeep.root} (set by surefire), else the nearest ancestor holding runtime-config. */
    static Path projectRoot() {
        String property = System.getProperty("voltkeep.root");
        if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("runtime-config"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root not found: no voltkeep.root property and no runtime-config above " + Path.of("").toAbsolutePath());
    }
}
