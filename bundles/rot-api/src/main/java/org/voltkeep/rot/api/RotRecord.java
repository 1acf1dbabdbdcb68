package org.voltkeep.rot.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.voltkeep.rot.api.spi.AtomicFiles;

/**
 * The committed provisioning record of a device, {@code rot/rot.properties}: which
 * backend holds its key, its trust mode and life-cycle state. Backends write it last
 * when provisioning (it is the commit point) and rewrite it when decommissioning (it
 * is then the marker that keeps the device from booting as provisioned). The launcher
 * reads it to know which backend to open.
 *
 * <p>The record is not a security boundary by itself: each backend re-checks what it
 * states against the material it guards (key store, token objects).
 *
 * @param backend              which backend provisioned the device
 * @param trustMode            field or development
 * @param state                {@link DeviceState#PROVISIONED} or {@link DeviceState#DECOMMISSIONED}
 * @param deviceKeyFingerprint SHA-256 of the device public key, hex; empty once decommissioned
 * @param anchorsSha256        SHA-256 of the bytes of {@code rot/anchors.pem}, hex; empty once decommissioned
 * @param changedAt            when provisioning or decommissioning happened
 */
public record RotRecord(BackendKind backend, TrustMode trustMode, DeviceState state,
                        String deviceKeyFingerprint, String anchorsSha256, Instant changedAt) {

    /** The root-of-trust directory of a device. */
    public static final String ROT_DIR = "rot";
    /** The record file inside {@link #ROT_DIR}. */
    public static final String FILE = "rot.properties";
    /** The anchors file inside {@link #ROT_DIR}: PEM, mode 0444 once provisioned. */
    public static final String ANCHORS_FILE = "anchors.pem";

    private static final int MAX_FILE_BYTES = 4096;

    public RotRecord {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(trustMode, "trustMode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(deviceKeyFingerprint, "deviceKeyFingerprint");
        Objects.requireNonNull(anchorsSha256, "anchorsSha256");
        Objects.requireNonNull(changedAt, "changedAt");
        if (state == DeviceState.UNPROVISIONED) {
            throw new IllegalArgumentException("an unprovisioned device has no record");
        }
    }

    /** {@code deviceDir/rot}. */
    public static Path rotDir(Path deviceDir) {
        return deviceDir.resolve(ROT_DIR);
    }

    /** {@code deviceDir/rot/rot.properties}. */
    public static Path file(Path deviceDir) {
        return rotDir(deviceDir).resolve(FILE);
    }

    /** {@code deviceDir/rot/anchors.pem}. */
    public static Path anchorsFile(Path deviceDir) {
        return rotDir(deviceDir).resolve(ANCHORS_FILE);
    }

    /** The life-cycle state the record states, {@link DeviceState#UNPROVISIONED} when there is none. */
    public static DeviceState stateOf(Path deviceDir) throws RotException {
        return read(deviceDir).map(RotRecord::state).orElse(DeviceState.UNPROVISIONED);
    }

    /**
     * Reads the record; empty when the device has none (never provisioned, or a
     * provisioning that did not finish).
     *
     * @throws RotException if the file exists but is malformed (never read as "unprovisioned")
     */
    public static Optional<RotRecord> read(Path deviceDir) throws RotException {
        Path file = file(deviceDir);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new RotException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RotException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new RotException(file + " line " + lineNumber + " is not key=value");
            }
            if (values.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                throw new RotException(file + " line " + lineNumber + " repeats key '" + line.substring(0, eq) + "'");
            }
        }
        if (!values.keySet().equals(Set.of("backend", "trustMode", "state", "deviceKey", "anchors", "changedAt"))) {
            throw new RotException(file + " has keys " + values.keySet() + ", expected backend, trustMode, state, deviceKey, anchors, changedAt");
        }
        try {
            return Optional.of(new RotRecord(
                    BackendKind.of(values.get("backend")),
                    TrustMode.of(values.get("trustMode")),
                    DeviceState.valueOf(values.get("state").toUpperCase(java.util.Locale.ROOT)),
                    values.get("deviceKey"),
                    values.get("anchors"),
                    Instant.parse(values.get("changedAt"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new RotException(file + " is malformed: " + e.getMessage(), e);
        }
    }

    /** Writes the record atomically (temp file, fsync, rename, fsync directory), mode 0644. */
    public void write(Path deviceDir) throws RotException {
        String text = "# root of trust of this device: written by provisioning, do not edit\n"
                + "backend=" + backend.id() + "\n"
                + "trustMode=" + trustMode.id() + "\n"
                + "state=" + state.name().toLowerCase(java.util.Locale.ROOT) + "\n"
                + "deviceKey=" + deviceKeyFingerprint + "\n"
                + "anchors=" + anchorsSha256 + "\n"
                + "changedAt=" + changedAt + "\n";
        Path file = file(deviceDir);
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new RotException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that a device may be provisioned by {@code backend}: refuses a provisioned or
     * decommissioned device unless the request wipes, and a device another backend still
     * holds. Everything that can be refused is checked before anything is wiped.
     *
     * @return the existing record, if any
     */
    public static Optional<RotRecord> requireProvisionable(Path deviceDir, Provisioning.Request request, BackendKind backend)
            throws RotException {
        Optional<RotRecord> existing = read(deviceDir);
        if (existing.isPresent()) {
            RotRecord record = existing.get();
            if (!request.wipe()) {
                throw new RotException("device " + deviceDir + " is already " + record.state().name().toLowerCase(java.util.Locale.ROOT)
                        + " (" + record.backend().id() + " backend, " + record.trustMode().id() + " trust, since " + record.changedAt()
                        + "); re-provisioning needs wipe");
            }
            if (record.backend() != backend && record.state() == DeviceState.PROVISIONED) {
                throw new RotException("device " + deviceDir + " was provisioned with the " + record.backend().id()
                        + " backend; decommission it with that backend before provisioning it with the " + backend.id() + " backend");
            }
        }
        return existing;
    }
}
