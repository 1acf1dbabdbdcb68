package org.voltkeep.config.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.config.LoadReport;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.OpenedStore;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreSchema;
import org.voltkeep.config.LoadReport.FileResult;
import org.voltkeep.config.LoadReport.Outcome;

/**
 * Applies a configuration directory to Configuration Admin. Each configuration it
 * writes carries {@link #SOURCE_KEY} with the file name, so that a configuration
 * whose file has gone (an image that dropped it) can be deleted without touching
 * configurations other tools made.
 */
final class ConfigSync {
    /**
     * Version 1.0: one {@code java.util.Properties} file per PID ({@code <pid>.cfg},
     * {@code <factoryPid>~<name>.cfg}). Minor versions may add files and keys (an
     * older image ignores PIDs it has no component for, and components ignore keys
     * they do not know); renaming or changing the meaning of a key is a new major.
     */
    static final StoreSchema SCHEMA = StoreSchema.of("config", SchemaVersion.of(1, 0));

    /** Marks configurations that came from a file of the directory; the value is the file name. */
    static final String SOURCE_KEY = "voltkeep.config.file";
    /** Multi-location binding: any bundle that asks for the PID gets it (CM 1.4+). */
    static final String ANY_LOCATION = "?";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigSync.class);

    private final ConfigurationAdmin admin;
    private final CfgFileReader reader;

    ConfigSync(ConfigurationAdmin admin, CfgFileReader reader) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** @param directory the configuration directory, null when the framework property is not set */
    LoadReport load(String directory) {
        if (directory == null || directory.isBlank()) {
            return notApplied("(unset)", "framework property voltkeep.config.dir is not set");
        }
        Path dir = Path.of(directory);
        try {
            // the directory is a versioned store: an interrupted migration is finished, a newer image's
            // store is swapped back for the copy this image reads, or nothing is applied
            OpenedStore store = DataStore.openExisting(dir, SCHEMA, change -> LOG.info(change.describe()));
            if (store.version().compareTo(SCHEMA.current()) > 0) {
                LOG.info("configuration directory {} is of version {} (a newer image wrote it); keys this image does not know"
                        + " are passed on and ignored by the components", directory, store.version());
            }
        } catch (NoSuchFileException e) {
            // nothing is deleted: a missing directory is a broken device, not an empty configuration
            return notApplied(directory, "not a directory");
        } catch (IOException e) {
            return notApplied(directory, e.getMessage());
        }
        if (!Files.isDirectory(dir)) {
            return notApplied(directory, "not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (CfgTarget.isCandidate(p.getFileName().toString()) && !Files.isDirectory(p)) {
                    files.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return notApplied(directory, "cannot be listed: " + e);
        }
        files.sort(Path::compareTo);

        List<FileResult> results = new ArrayList<>();
        Set<String> present = new TreeSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            present.add(name);
            results.add(applyFile(file, name));
        }
        results.addAll(deleteOrphans(present));
        LoadReport report = new LoadReport(directory, "", results);
        LOG.info(report.summary());
        return report;
    }

    private FileResult applyFile(Path file, String name) {
        String pid = pidOf(name);
        CfgFileReader.Parsed parsed;
        try {
            parsed = reader.read(file);
        } catch (CfgException e) {
            return refused(file, name, pid, e.getMessage());
        }
        Map<String, String> wanted = new HashMap<>(parsed.properties());
        wanted.put(SOURCE_KEY, name);
        try {
            CfgTarget t = parsed.target();
            Configuration c = t.factory()
                    ? admin.getFactoryConfiguration(t.factoryPid(), t.name(), ANY_LOCATION)
                    : admin.getConfiguration(t.name(), ANY_LOCATION);
            Dictionary<String, Object> existing = c.getProperties();
            if (existing != null && sameContent(existing, wanted)) {
                return new FileResult(name, pid, Outcome.UNCHANGED, "");
            }
            c.update(new Hashtable<>(wanted));
            Outcome o = existing == null ? Outcome.CREATED : Outcome.UPDATED;
            LOG.info("configuration {} {} from {}", pid, o.name().toLowerCase(Locale.ROOT), file);
            return new FileResult(name, pid, o, "");
        } catch (IOException | RuntimeException e) {
            return refused(file, name, pid, "Configuration Admin refused the update: " + e);
        }
    }

    private List<FileResult> deleteOrphans(Set<String> present) {
        Configuration[] ours;
        try {
            ours = admin.listConfigurations("(" + SOURCE_KEY + "=*)");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot list configurations made from files, none deleted: {}", e.toString());
            return List.of();
        }
        if (ours == null) {
            return List.of();
        }
        List<FileResult> deleted = new ArrayList<>();
        for (Configuration c : ours) {
            Dictionary<String, Object> props = c.getProperties();
            Object source = props == null ? null : props.get(SOURCE_KEY);
            if (!(source instanceof String file) || present.contains(file)) {
                continue;
            }
            try {
                c.delete();
                LOG.info("configuration {} deleted: its file {} is gone", c.getPid(), file);
                deleted.add(new FileResult(file, c.getPid(), Outcome.DELETED, ""));
            } catch (IOException | RuntimeException e) {
                LOG.warn("configuration {} from the removed file {} could not be deleted: {}", c.getPid(), file, e.toString());
            }
        }
        deleted.sort((a, b) -> a.file().compareTo(b.file()));
        return deleted;
    }

    private static FileResult refused(Path file, String name, String pid, String detail) {
        LOG.warn("configuration file {} refused: {}; {}", file, detail,
                pid.isEmpty() ? "nothing changed" : "configuration " + pid + " left as it was");
        return new FileResult(name, pid, Outcome.REFUSED, detail);
    }

    private static String pidOf(String fileName) {
        try {
            return CfgTarget.fromFileName(fileName).pid();
        } catch (CfgException e) {
            return "";
        }
    }

    private static LoadReport notApplied(String directory, String problem) {
        LoadReport r = new LoadReport(directory, problem, List.of());
        LOG.error(r.summary());
        return r;
    }

    /** Same keys and equal values, ignoring what Configuration Admin adds itself. */
    static boolean sameContent(Dictionary<String, Object> existing, Map<String, String> wanted) {
        int count = 0;
        for (Enumeration<String> keys = existing.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (CfgFileReader.RESERVED_KEYS.contains(key)) {
                continue;
            }
            count++;
            if (!Objects.equals(existing.get(key), wanted.get(key))) {
                return false;
            }
        }
        return count == wanted.size();
    }
}
