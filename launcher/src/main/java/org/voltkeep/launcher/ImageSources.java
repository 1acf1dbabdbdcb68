package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.ImageBuilder;

/**
 * What {@code voltkeep image build} packs into an image: a bundle list (which bundle
 * runs in which domain and zone, {@link BundleCatalog}), the directory of built bundle
 * JARs it picks them from, and one directory of configuration defaults per domain.
 * By default the product image of this installation: {@code runtime-config/image/bundles.list},
 * {@code launcher/target/bundles} and {@code runtime-config/config/{safety,app}}.
 * The recovery image names its own with {@code --bundle-list}, {@code --bundles} and
 * {@code --config}.
 *
 * @param bundleList  the bundle list file
 * @param bundles     the directory of built bundle JARs; every JAR in it must be listed
 * @param configDirs  per domain, the directory whose {@code *.cfg} files become defaults
 */
record ImageSources(Path bundleList, Path bundles, Map<BundleDomain, Path> configDirs) {

    static final Set<String> OPTIONS = Set.of("bundle-list", "bundles", "config");

    ImageSources {
        configDirs = Collections.unmodifiableMap(new EnumMap<>(configDirs));
    }

    /** The sources the options name (or this installation's defaults), each checked to exist. */
    static ImageSources from(Args a, Installation inst) throws UsageException {
        Path list = a.path("bundle-list").orElse(inst.bundleList());
        if (!Files.isRegularFile(list)) {
            throw new UsageException("image build: bundle list " + list + " is not a file (--bundle-list FILE)");
        }
        Path bundles = a.path("bundles").orElse(inst.bundles());
        if (!Files.isDirectory(bundles)) {
            throw new UsageException("image build: bundle directory " + bundles + " is not a directory (--bundles DIR)");
        }
        Map<BundleDomain, Path> dirs = new EnumMap<>(BundleDomain.class);
        for (BundleDomain d : BundleDomain.values()) {
            Path dir = a.path("config").map(root -> root.resolve(d.id())).orElse(inst.defaultConfig(d));
            if (!Files.isDirectory(dir)) {
                throw new UsageException("image build: no configuration directory " + dir + " for the " + d.id()
                        + " domain (--config DIR needs the sub-directories safety/ and app/)");
            }
            dirs.put(d, dir);
        }
        return new ImageSources(list, bundles, dirs);
    }

    /** Adds exactly the listed bundles, each in its domains and zones, and the configuration defaults. */
    void addTo(ImageBuilder b) throws IOException {
        addBundles(b);
        for (var e : configDirs.entrySet()) {
            b.configDir(e.getKey(), e.getValue());
        }
    }

    /** A JAR in the directory that is not listed, or a listed bundle without a JAR, stops the build. */
    private void addBundles(ImageBuilder b) throws IOException {
        BundleCatalog catalog = BundleCatalog.read(bundleList);
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundles)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        Map<String, Path> bySymbolicName = new LinkedHashMap<>();
        for (Path jar : jars) {
            String bsn = BundleJar.read(jar.getFileName().toString(), Files.readAllBytes(jar)).symbolicName();
            if (catalog.entries().get(bsn) == null) {
                throw new IOException("bundle " + bsn + " (" + jar.getFileName() + ") is not in " + bundleList);
            }
            if (bySymbolicName.put(bsn, jar) != null) {
                throw new IOException("two JARs of bundle " + bsn + " in " + bundles);
            }
        }
        Set<String> missing = new HashSet<>(catalog.entries().keySet());
        missing.removeAll(bySymbolicName.keySet());
        if (!missing.isEmpty()) {
            throw new IOException("bundles listed in " + bundleList + " but not in " + bundles + ": "
                    + String.join(", ", missing.stream().sorted().toList()));
        }
        for (var e : catalog.entries().entrySet()) {
            for (BundleDomain d : e.getValue().domains()) {
                b.bundle(bySymbolicName.get(e.getKey()), d, e.getValue().zoneIn(d));
            }
        }
    }
}
