package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Makes a device directory bootable from this installation: slot A, configuration, boot state. */
final class DeviceSetup {
    /** Unix domain socket paths are limited to 108 bytes by the kernel. */
    static final int MAX_SOCKET_PATH = 100;

    private final Installation installation;

    DeviceSetup(Installation installation) {
        this.installation = installation;
    }

    /** Returns a one-line description of what was installed. */
    String prepare(DeviceLayout device, String board) throws IOException, UsageException {
        checkSocketPaths(device);
        device.createDirectories();
        String installed = new SlotInstaller(installation).install(device, "a");
        for (Domain d : Domain.values()) {
            copyDefaults(installation.defaultConfig(d), device.configDir(d));
        }
        applyBoard(device, board);
        if (!device.exists()) {
            BootState.initial().write(device);
        }
        return installed;
    }

    /** Puts the selected board's configuration into the safety domain's config folder, and only that board's. */
    void applyBoard(DeviceLayout device, String board) throws IOException, UsageException {
        Path source = installation.boardConfig(board);
        if (!Files.isDirectory(source)) {
            throw new UsageException("unknown board '" + board + "' (no " + installation.runtimeConfig().relativize(source) + ")");
        }
        Path target = device.configDir(Domain.SAFETY);
        Files.createDirectories(target);
        try (Stream<Path> boards = Files.list(installation.runtimeConfig().resolve("boards"))) {
            for (Path other : boards.toList()) {
                try (Stream<Path> files = Files.list(other)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(target.resolve(f.getFileName()));
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
