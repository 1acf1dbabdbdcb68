package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code runtime-config/image/bundles.list}: which bundle runs in which domain.
 * The order of the file is the install order.
 */
record BundleCatalog(Map<String, Set<Domain>> domainsBySymbolicName) {

    static BundleCatalog read(Path file) throws IOException {
        Map<String, Set<Domain>> map = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file.getFileName() + " line " + (i + 1);
            if (parts.length != 2) {
                throw new IOException(where + ": expected '<symbolic name> <safety|app|both>', found '" + line + "'");
            }
            Set<Domain> domains = switch (parts[1]) {
                case "safety" -> EnumSet.of(Domain.SAFETY);
                case "app" -> EnumSet.of(Domain.APP);
                case "both" -> EnumSet.allOf(Domain.class);
                default -> throw new IOException(where + ": domain '" + parts[1] + "' is not safety, app or both");
            };
            if (map.put(parts[0], domains) != null) {
                throw new IOException(where + ": " + parts[0] + " is listed twice");
            }
        }
        return new BundleCatalog(java.util.Collections.unmodifiableMap(map));
    }

    Set<Domain> domainsOf(String symbolicName) {
        return domainsBySymbolicName.getOrDefault(symbolicName, Set.of());
    }
}
