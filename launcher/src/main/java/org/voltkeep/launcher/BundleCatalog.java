package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.rot.api.Zone;

/**
 * {@code runtime-config/image/bundles.list}: which bundle runs in which domain, and
 * its zone in the application domain. The order of the file is the install order.
 */
record BundleCatalog(Map<String, Entry> entries) {

    /** One listed bundle. */
    record Entry(Set<BundleDomain> domains, Zone appZone) {
        /** Safety-domain bundles are all of the safety zone; application bundles of their listed zone. */
        Zone zoneIn(BundleDomain d) {
            return d == BundleDomain.SAFETY ? Zone.SAFETY : appZone;
        }
    }

    static BundleCatalog read(Path file) throws IOException {
        Map<String, Entry> map = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file.getFileName() + " line " + (i + 1);
            if (parts.length < 2 || parts.length > 3) {
                throw new IOException(where + ": expected '<symbolic name> <safety|app|both> [core|network]', found '" + line + "'");
            }
            Set<BundleDomain> domains = switch (parts[1]) {
                case "safety" -> EnumSet.of(BundleDomain.SAFETY);
                case "app" -> EnumSet.of(BundleDomain.APP);
                case "both" -> EnumSet.allOf(BundleDomain.class);
                default -> throw new IOException(where + ": domain '" + parts[1] + "' is not safety, app or both");
            };
            Zone zone = Zone.CORE;
            if (parts.length == 3) {
                zone = switch (parts[2]) {
                    case "core" -> Zone.CORE;
                    case "network" -> Zone.NETWORK;
                    default -> throw new IOException(where + ": application zone '" + parts[2] + "' is not core or network");
                };
                if (!domains.contains(BundleDomain.APP)) {
                    throw new IOException(where + ": a zone is given for a bundle that does not run in the application domain");
                }
            }
            if (map.put(parts[0], new Entry(domains, zone)) != null) {
                throw new IOException(where + ": " + parts[0] + " is listed twice");
            }
        }
        return new BundleCatalog(Collections.unmodifiableMap(map));
    }
}
