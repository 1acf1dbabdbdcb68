package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Fills a slot with the runtime bundles of this installation, each into the
 * domain folders the catalog names. Writes into a staging folder first and swaps
 * it in, so a slot is never half written.
 */
final class SlotInstaller {
    private final Installation installation;

    SlotInstaller(Installation installation) {
        this.installation = installation;
    }

    /** Returns how many bundle files were placed into each domain. */
    String install(DeviceLayout device, String slot) throws IOException {
        BundleCatalog catalog = BundleCatalog.read(installation.bundleList());
        Path staging = device.root().resolve("slots").resolve("." + slot + ".staging");
        deleteTree(staging);
        Files.createDirectories(staging.resolve(Domain.SAFETY.id()));
        Files.createDirectories(staging.resolve(Domain.APP.id()));
        List<Path> jars;
        try (Stream<Path> s = Files.list(installation.bundles())) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        Set<String> seen = new HashSet<>();
        int safety = 0;
        int app = 0;
        List<String> unknown = new ArrayList<>();
        for (Path jar : jars) {
            BundleJar id = BundleJar.read(jar.getFileName().toString(), Files.readAllBytes(jar));
            Set<Domain> domains = catalog.domainsOf(id.symbolicName());
            if (domains.isEmpty()) {
                unknown.add(id.symbolicName() + " (" + jar.getFileName() + ")");
                continue;
            }
            seen.add(id.symbolicName());
            for (Domain d : domains) {
                Files.copy(jar, staging.resolve(d.id()).resolve(id.symbolicName() + ".jar"));
                if (d == Domain.SAFETY) {
                    safety++;
                } else {
                    app++;
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException("bundles not in " + installation.bundleList().getFileName() + ": " + String.join(", ", unknown));
        }
        Set<String> missing = new HashSet<>(catalog.domainsBySymbolicName().keySet());
        missing.removeAll(seen);
        if (!missing.isEmpty()) {
            throw new IOException("bundles listed but not built: " + String.join(", ", missing.stream().sorted().toList()));
        }
        Files.copy(installation.bundleList(), staging.resolve("bundles.list"));
        Path target = device.slot(slot);
        Path old = device.root().resolve("slots").resolve("." + slot + ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(staging, target);
        AtomicFiles.syncDirectory(target.getParent());
        deleteTree(old);
        return safety + " safety bundles, " + app + " application bundles";
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(q);
            }
        }
    }
}
