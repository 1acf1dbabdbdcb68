package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Real file operations on one device directory that are counted (per phase of the
 * sequence), stop at a budget as a power cut would, and keep a journal of what a
 * power cut could still take back. After the cut, {@link #crashStates} makes the disk
 * states that cut may leave.
 *
 * <p>The model of the storage, the worst case POSIX allows for these calls:
 * <ul>
 * <li>a file's content is durable once the file was fsynced; content written and not
 * yet fsynced may be lost: the file is then there but empty (delayed allocation);</li>
 * <li>a change to a directory (a file or directory created, a rename, a delete) is
 * durable once that directory was fsynced after it; renames here stay within one
 * directory;</li>
 * <li>the changes of one directory reach the disk in the order they were made, but
 * directories are independent of each other: of each directory's changes after its
 * last fsync, any prefix may have reached the disk, whatever happened to the others
 * (weaker than ext4, whose journal commits all directories in order). A file whose
 * directory's creation was lost is lost with it.</li>
 * </ul>
 * So a cut after operation k leaves: everything that ran (a crashed process: the page
 * cache still reaches the disk), or any combination of per-directory prefixes of the
 * changes not yet durable, with every not-fsynced file emptied. Writes outside
 * {@link FileOps} are not in the journal: the root of trust's counter and the security
 * log fsync their own writes (and their directories) before they return.
 */
final class PowerCutFileOps implements FileOps {
    /** Thrown at the cut: the operation it would have started did not run. */
    static final class PowerCut extends IOException {
        private static final long serialVersionUID = 1L;

        PowerCut(String message) {
            super(message);
        }
    }

    /** A change to one directory, with what undoing it needs; paths are relative to the device root. */
    private sealed interface Change {
        /** The directory the change is in (relative to the root; "" for the root itself). */
        Path dir();
    }

    private record Created(Path path, boolean directory, Path dir) implements Change {
    }

    private record Renamed(Path from, Path to, byte[] replaced, boolean replacedUnsynced, Path dir) implements Change {
    }

    private record Deleted(Path path, boolean directory, byte[] bytes, boolean unsynced, Path dir) implements Change {
    }

    /** A change and whether a fsync of its directory followed it. */
    private static final class Entry {
        final Change change;
        boolean durable;

        Entry(Change change) {
            this.change = change;
        }
    }

    private final Path root;
    private final int budget;
    private int done;
    private String phase = "-";
    private String cutIn;
    private final Map<String, Integer> perPhase = new LinkedHashMap<>();
    private final List<Entry> journal = new ArrayList<>();
    /** Files whose content was written and not yet fsynced, relative to the root. */
    private final Set<Path> unsynced = new HashSet<>();

    /** @param budget operations allowed before the cut; {@link Integer#MAX_VALUE} counts a whole sequence */
    PowerCutFileOps(DeviceLayout device, int budget) {
        this.root = device.root();
        this.budget = budget;
    }

    /** Names the phase the next operations belong to (install, activate, trial boot, commit, rollback, …). */
    void phase(String name) {
        phase = name;
        perPhase.putIfAbsent(name, 0);
    }

    int done() {
        return done;
    }

    /** Operations per phase, in the order the phases ran. */
    Map<String, Integer> perPhase() {
        return perPhase;
    }

    /** The phase the cut fell in; null when none fell. */
    String cutIn() {
        return cutIn;
    }

    private void step(String what) throws PowerCut {
        if (done >= budget) {
            cutIn = phase;
            throw new PowerCut("power cut before operation " + (done + 1) + " (" + what + ", " + phase + ")");
        }
        done++;
        perPhase.merge(phase, 1, Integer::sum);
    }

    private Path rel(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(root) ? root.relativize(a) : null;
    }

    private static Path parentOf(Path rel) {
        Path parent = rel.getParent();
        return parent == null ? Path.of("") : parent;
    }

    private void created(Path file) {
        Path r = rel(file);
        if (r != null) {
            journal.add(new Entry(new Created(r, false, parentOf(r))));
        }
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        step("write " + file.getFileName());
        boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        REAL.write(file, content);
        if (!existed) {
            created(file);
        }
        Path r = rel(file);
        if (r != null) {
            unsynced.add(r);
        }
    }

    @Override
    public void copy(Path from, Path to, LongConsumer copied) throws IOException {
        step("copy to " + to.getFileName());
        boolean existed = Files.exists(to, LinkOption.NOFOLLOW_LINKS);
        REAL.copy(from, to, copied);
        if (!existed) {
            created(to);
        }
        Path r = rel(to);
        if (r != null) {
            unsynced.add(r);
        }
    }

    @Override
    public void fsync(Path file) throws IOException {
        step("fsync " + file.getFileName());
        REAL.fsync(file);
        Path r = rel(file);
        if (r != null) {
            unsynced.remove(r);
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        step("rename " + from.getFileName() + " -> " + to.getFileName());
        Path rf = rel(from);
        Path rt = rel(to);
        byte[] replaced = Files.isRegularFile(to, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(to) : null;
        boolean replacedUnsynced = rt != null && unsynced.contains(rt);
        REAL.rename(from, to);
        if (rf != null && rt != null) {
            if (!parentOf(rf).equals(parentOf(rt))) {
                throw new IllegalStateException("the power-cut model knows renames within one directory only: " + rf + " -> " + rt);
            }
            journal.add(new Entry(new Renamed(rf, rt, replaced, replacedUnsynced, parentOf(rt))));
            unsynced.remove(rt);
            move(unsynced, rf, rt);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        step("fsync directory " + dir.getFileName());
        REAL.fsyncDirectory(dir);
        Path r = rel(dir);
        if (r != null) {
            for (Entry e : journal) {
                if (e.change.dir().equals(r)) {
                    e.durable = true;
                }
            }
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        step("delete " + path.getFileName());
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            REAL.delete(path);
            return;
        }
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        byte[] bytes = directory ? null : Files.readAllBytes(path);
        Path r = rel(path);
        boolean wasUnsynced = r != null && unsynced.remove(r);
        REAL.delete(path);
        if (r != null) {
            journal.add(new Entry(new Deleted(r, directory, bytes, wasUnsynced, parentOf(r))));
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        step("create directories " + dir.getFileName());
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        REAL.createDirectories(dir);
        for (Path p : missing) {
            Path r = rel(p);
            if (r != null && !r.toString().isEmpty()) {
                journal.add(new Entry(new Created(r, true, parentOf(r))));
            }
        }
    }

    /** Directory changes made so far that no fsync of their directory followed. */
    int changesNotDurable() {
        return (int) journal.stream().filter(e -> !e.durable).count();
    }

    /** Files whose content was written after their last fsync. */
    int filesNotDurable() {
        return unsynced.size();
    }

    /** At most this many power-cut states per cut; more means the model or the code changed beyond what it was made for. */
    static final int MAX_STATES_PER_CUT = 512;

    /**
     * Copies {@code cut} (the device as the cut left it) once per disk state the cut may
     * leave, under {@code into}: first the crashed-process state (everything that ran),
     * then one per combination of per-directory prefixes of the changes not yet durable,
     * each with every not-fsynced file emptied. Returns the copies' roots.
     */
    List<Path> crashStates(Path cut, Path into) throws IOException {
        List<Path> states = new ArrayList<>();
        Path whole = into.resolve("process-crash");
        copyTree(cut, whole);
        states.add(whole);
        // per directory, the indexes (into the journal) of its changes that may be lost, in order
        Map<Path, List<Integer>> tails = new LinkedHashMap<>();
        for (int i = 0; i < journal.size(); i++) {
            if (!journal.get(i).durable) {
                tails.computeIfAbsent(journal.get(i).change.dir(), k -> new ArrayList<>()).add(i);
            }
        }
        List<List<Integer>> perDir = new ArrayList<>(tails.values());
        int combinations = 1;
        for (List<Integer> t : perDir) {
            combinations *= t.size() + 1;
        }
        if (combinations > MAX_STATES_PER_CUT) {
            throw new IllegalStateException(combinations + " power-cut states at one cut: more than " + MAX_STATES_PER_CUT);
        }
        for (int c = 0; c < combinations; c++) {
            // keep[d]: how many of directory d's not-durable changes reached the disk
            int rest = c;
            Set<Integer> lost = new HashSet<>();
            StringBuilder name = new StringBuilder("power-cut");
            for (List<Integer> t : perDir) {
                int keep = rest % (t.size() + 1);
                rest /= t.size() + 1;
                lost.addAll(t.subList(keep, t.size()));
                name.append('-').append(keep).append("of").append(t.size());
            }
            Path s = into.resolve(name.toString());
            copyTree(cut, s);
            Set<Path> emptied = new HashSet<>(unsynced);
            for (int i = journal.size() - 1; i >= 0; i--) {
                if (lost.contains(i)) {
                    undo(s, journal.get(i).change, emptied);
                }
            }
            for (Path r : emptied) {
                Path f = s.resolve(r.toString());
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.write(f, new byte[0]);
                }
            }
            states.add(s);
        }
        return states;
    }

    private static void undo(Path at, Change c, Set<Path> unsyncedThere) throws IOException {
        if (c instanceof Created k) {
            Path p = at.resolve(k.path().toString());
            if (k.directory()) {
                // its entries that did reach the disk are unreachable without it: lost with it
                removeTree(p);
            } else {
                Files.deleteIfExists(p);
            }
            unsyncedThere.removeIf(u -> u.startsWith(k.path()));
        } else if (c instanceof Renamed r) {
            Path to = at.resolve(r.to().toString());
            if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("power-cut model: cannot undo the rename " + r.from() + " -> " + r.to()
                        + ": " + r.to() + " is not there");
            }
            Files.move(to, at.resolve(r.from().toString()), StandardCopyOption.ATOMIC_MOVE);
            move(unsyncedThere, r.to(), r.from());
            if (r.replaced() != null) {
                Files.write(to, r.replaced());
                if (r.replacedUnsynced()) {
                    unsyncedThere.add(r.to());
                }
            }
        } else if (c instanceof Deleted d) {
            Path p = at.resolve(d.path().toString());
            if (!Files.isDirectory(p.getParent())) {
                return; // its directory's creation was lost too (or its removal reached the disk): nothing to bring back
            }
            if (d.directory()) {
                Files.createDirectory(p);
            } else {
                Files.write(p, d.bytes());
                if (d.unsynced()) {
                    unsyncedThere.add(d.path());
                }
            }
        }
    }

    private static void removeTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Paths at or under {@code from} now are at or under {@code to}. */
    private static void move(Set<Path> paths, Path from, Path to) {
        List<Path> moved = new ArrayList<>();
        for (var it = paths.iterator(); it.hasNext();) {
            Path p = it.next();
            if (p.startsWith(from)) {
                it.remove();
                moved.add(to.resolve(from.relativize(p).toString()));
            }
        }
        paths.addAll(moved);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
