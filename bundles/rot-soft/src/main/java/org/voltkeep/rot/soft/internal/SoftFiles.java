package org.voltkeep.rot.soft.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.api.spi.AtomicFiles;

/** The soft backend's files under {@code deviceDir/rot/}. */
public final class SoftFiles {

    public static final Set<PosixFilePermission> ANCHORS_MODE = PosixFilePermissions.fromString("r--r--r--");
    public static final Set<PosixFilePermission> SECRET_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    static final String KEY_STORE = "device.p12";
    static final String PASSWORD = "device.p12.pass";
    static final String COUNTERS = "counters";
    static final String COUNTERS_LOCK = "counters.lock";

    private final Path deviceDir;

    public SoftFiles(Path deviceDir) {
        this.deviceDir = deviceDir.toAbsolutePath().normalize();
    }

    public Path deviceDir() {
        return deviceDir;
    }

    public Path rot() {
        return RotRecord.rotDir(deviceDir);
    }

    public Path anchors() {
        return RotRecord.anchorsFile(deviceDir);
    }

    public Path keyStore() {
        return rot().resolve(KEY_STORE);
    }

    public Path password() {
        return rot().resolve(PASSWORD);
    }

    public Path counters() {
        return rot().resolve(COUNTERS);
    }

    public Path countersLock() {
        return rot().resolve(COUNTERS_LOCK);
    }

    /** Creates {@code rot/} owner-only. */
    public void createRotDir() throws IOException {
        Files.createDirectories(rot());
        Files.setPosixFilePermissions(rot(), DIR_MODE);
    }

    /** Writes the anchors file read-only (0444), atomically. */
    public void writeAnchors(byte[] pem) throws IOException {
        AtomicFiles.write(anchors(), pem, ANCHORS_MODE);
    }

    /**
     * Reads the anchors, refusing a file that is writable or differs from what was
     * provisioned (its SHA-256 is in the record).
     */
    public List<X509Certificate> readAnchors(String provisionedSha256) throws RotException {
        Path file = anchors();
        byte[] bytes;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.OWNER_WRITE) || mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new RotException(file + " is writable (mode " + PosixFilePermissions.toString(mode)
                        + "); anchors are read-only after provisioning");
            }
            if (Files.size(file) > Provisioning.MAX_ANCHORS_PEM_CHARS * 4L) {
                throw new RotException(file + " is larger than any anchors file provisioning writes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RotException(file + " is missing: the device's trust anchors are gone", e);
        } catch (IOException e) {
            throw new RotException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String sha256 = Provisioning.sha256Hex(bytes);
        if (!sha256.equals(provisionedSha256)) {
            throw new RotException(file + " was changed after provisioning (SHA-256 " + sha256 + ", provisioned " + provisionedSha256 + ")");
        }
        return Provisioning.parseAnchors(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Removes everything this backend wrote, the record first so the device stops counting as provisioned at once. */
    public void wipe() throws IOException {
        AtomicFiles.delete(RotRecord.file(deviceDir));
        wipeKeepingRecord();
    }

    /** Removes key material, counters and anchors; keeps the record (the decommission marker). */
    public void wipeKeepingRecord() throws IOException {
        if (!Files.isDirectory(rot())) {
            return;
        }
        scrub(keyStore());
        scrub(password());
        for (Path p : List.of(counters(), countersLock(), anchors())) {
            Files.deleteIfExists(p);
        }
        // Leftovers of interrupted atomic writes.
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(rot(), ".*.tmp-*")) {
            for (Path p : temps) {
                scrub(p);
            }
        }
        AtomicFiles.fsyncDirectory(rot());
    }

    /**
     * Overwrites a secret with zeros before deleting it. On flash with wear levelling the
     * old blocks may survive anyway; that is one more reason soft is for desks only.
     */
    private static void scrub(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        long size = Files.size(file);
        Files.setPosixFilePermissions(file, SECRET_MODE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(4096);
            for (long written = 0; written < size; ) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), size - written));
                written += channel.write(zeros, written);
            }
            channel.force(true);
        }
        Files.delete(file);
    }
}
