package org.voltkeep.safety.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.Fault;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreSchema;

/**
 * Keeps the faults that must survive a restart (PERMANENT ones) in one small file of
 * the state directory, written atomically: a temp file, fsync, rename, fsync of the
 * directory. Service clears them by deleting the file while safety is stopped.
 *
 * <p>The state directory is a versioned store ({@link #SCHEMA}). Unlike other
 * stores it never goes back to a kept copy: a copy from before a newer image's
 * migration would not hold the faults that image latched since, so a store of a
 * newer major fails the self-test instead. For the same reason a fault name this
 * version does not know (a newer minor may add faults) fails it too.
 */
final class FaultStore {
    static final String FILE_NAME = "latched-faults";
    /** Version 1.0: {@value #FILE_NAME}, one fault name per line, {@code #} comments. */
    static final StoreSchema SCHEMA = new StoreSchema("safety", SchemaVersion.of(1, 0), List.of(),
            StoreSchema.OnNewerMajor.REFUSE);
    private static final String HEADER = "# faults latched PERMANENT; delete this file (safety stopped) after service";
    private static final Logger LOG = LoggerFactory.getLogger(FaultStore.class);

    private final Path dir;
    private boolean opened;

    FaultStore(Path dir) {
        this.dir = dir;
    }

    Path file() {
        return dir.resolve(FILE_NAME);
    }

    /**
     * The persisted faults; an unreadable or unknown entry, or a store of a version
     * this image does not read, is an error (the caller fails the self-test).
     */
    Set<Fault> load() throws IOException {
        open();
        String text;
        try {
            text = Files.readString(file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EnumSet.noneOf(Fault.class);
        }
        EnumSet<Fault> faults = EnumSet.noneOf(Fault.class);
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            try {
                faults.add(Fault.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IOException(file() + " line " + lineNo + ": unknown fault '" + name + "'", e);
            }
        }
        return faults;
    }

    void save(Set<Fault> faults) throws IOException {
        open();
        String body = HEADER + "\n" + faults.stream().map(Fault::name).sorted().collect(Collectors.joining("\n"))
                + "\n";
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename is durable only once the directory entry is on disk.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for sync; the rename is still atomic.
        }
    }

    private synchronized void open() throws IOException {
        if (!opened) {
            DataStore.open(dir, SCHEMA, change -> LOG.info(change.describe()));
            opened = true;
        }
    }
}
