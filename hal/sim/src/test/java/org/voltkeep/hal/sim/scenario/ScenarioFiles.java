package org.voltkeep.hal.sim.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the repository's runtime-config/scenarios directory from a test. */
final class ScenarioFiles {
    private ScenarioFiles() {
    }

    static Path dir() {
        String root = System.getProperty("voltkeep.root");
        if (root != null && !root.isBlank() && Files.isDirectory(Path.of(root, "runtime-config"))) {
            return Path.of(root, "runtime-config", "scenarios");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("runtime-config"))) {
                return p.resolve("runtime-config").resolve("scenarios");
            }
        }
        throw new IllegalStateException("no runtime-config directory above " + Path.of("").toAbsolutePath()
                + " and voltkeep.root is '" + root + "'");
    }

    static List<Path> all() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
