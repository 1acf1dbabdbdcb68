package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.time.Clock;
import java.util.stream.Stream;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;

/** Makes a device directory bootable from this installation: slot A, configuration, boot state. */
final class DeviceSetup {
    /** Unix domain socket paths are limited to 108 bytes by the kernel. */
    static final int MAX_SOCKET_PATH = 100;

    private final Installation installation;

    DeviceSetup(Installation installation) {
        this.installation = installation;
    }

    /**
     * Provisions the device with this build's development anchors (soft root of trust,
     * development trust) unless it is provisioned already, installs this build's signed
     * image into slot A and selects the board. Returns what was installed, in one line.
     */
    String prepare(DeviceLayout device, String board) throws IOException, UsageException, SlotRejectedException {
        return prepare(device, board, installation.devImage());
    }

    /** As {@link #prepare(DeviceLayout, String)}, installing {@code image} into slot A. */
    String prepare(DeviceLayout device, String board, Path image) throws IOException, UsageException, SlotRejectedException {
        checkSocketPaths(device);
        if (!Files.isRegularFile(image)) {
            throw new UsageException("no image at " + image + (image.equals(installation.devImage())
                    ? " (run: mvn -q install -DskipTests)" : ""));
        }
        device.createDirectories();
        String trust = "";
        try {
            if (!DeviceTrust.provisioned(device)) {
                Provisioner.provision(device, installation.devPki().resolve("anchors.pem"), BackendKind.SOFT, null,
                        TrustMode.DEVELOPMENT, false);
                trust = "provisioned (soft root of trust, development trust: this build's dev PKI); ";
            }
        } catch (RotException e) {
            throw new IOException("cannot provision " + device.root() + ": " + e.getMessage(), e);
        }
        SlotStore store = new SlotStore(device, board, FileOps.REAL, Clock.systemUTC());
        BootVerifier.Boot boot = store.installFactory(image);
        applyBoard(device, board);
        return trust + "slot a <- image " + boot.image().manifest().version() + " ("
                + boot.image().bundles(BundleDomain.SAFETY).size() + " safety bundles, "
                + boot.image().bundles(BundleDomain.APP).size() + " application bundles, verified); "
                + installRecovery(store);
    }

    /**
     * Slot R gets this build's recovery image (verified in staging like any other). A build
     * without one, or a recovery image the device refuses, leaves R as it is, and says so:
     * the device still boots A or B, it only has no recovery to fall back to.
     */
    private String installRecovery(SlotStore store) throws IOException {
        Path recovery = installation.recoveryImage();
        if (!Files.isRegularFile(recovery)) {
            return "slot r: no recovery image in this build (" + installation.home().relativize(recovery)
                    + "), slot r " + store.state().slot(Slot.R).state().id();
        }
        try {
            BootVerifier.Boot r = store.installRecovery(recovery);
            return "slot r <- recovery image " + r.image().manifest().version() + " (verified)";
        } catch (SlotRejectedException e) {
            return "slot r: recovery image refused, slot r left as it was: " + e.getMessage();
        }
    }

    /**
     * Puts the selected board's configuration into the safety domain's config folder, and
     * only that board's: files of other boards go, the selected board's files the device
     * already has stay as they are (its own edits survive every run), missing ones are added.
     */
    void applyBoard(DeviceLayout device, String board) throws IOException, UsageException {
        Path source = installation.boardConfig(board);
        if (!Files.isDirectory(source)) {
            throw new UsageException("unknown board '" + board + "' (no " + installation.runtimeConfig().relativize(source) + ")");
        }
        Path target = device.configDir(BundleDomain.SAFETY);
        Files.createDirectories(target);
        Set<Path> selected;
        try (Stream<Path> files = Files.list(source)) {
            selected = files.map(Path::getFileName).collect(Collectors.toSet());
        }
        try (Stream<Path> boards = Files.list(installation.runtimeConfig().resolve("boards"))) {
            for (Path other : boards.toList()) {
                try (Stream<Path> files = Files.list(other)) {
                    for (Path f : files.toList()) {
                        if (!selected.contains(f.getFileName())) {
                            Files.deleteIfExists(target.resolve(f.getFileName()));
                        }
                    }
                }
            }
        }
        copyDefaults(source, target);
    }

    /** Copies default files that the device does not have yet: a device's own changes are kept. */
    private static void copyDefaults(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Path t = to.resolve(f.getFileName());
                if (!Files.exists(t)) {
                    AtomicFiles.write(t, Files.readAllBytes(f));
                }
            }
        }
    }

    static void checkSocketPaths(DeviceLayout device) throws UsageException {
        int len = device.simSocket().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (len > MAX_SOCKET_PATH) {
            throw new UsageException("device path " + device.root() + " is too long for Unix sockets under it ("
                    + len + " > " + MAX_SOCKET_PATH + " bytes); choose a shorter --device");
        }
    }
}
