package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.VerifiedFile;

/**
 * Puts a signed image into a slot: through a staging folder that is swapped in, so a
 * slot is never half written, and verified in staging exactly as boot will verify
 * it before it replaces what the slot held: a bad image changes nothing. Configuration defaults the image carries are copied into the data
 * directory where the device has none yet (a device's own edits are kept).
 */
final class SlotInstaller {
    private SlotInstaller() {
    }

    static BootVerifier.Boot install(DeviceLayout device, String slot, Path image, String board)
            throws IOException, SlotRejectedException {
        Path slots = device.root().resolve("slots");
        Path staging = slots.resolve("." + slot + ".staging");
        deleteTree(staging);
        Files.createDirectories(staging);
        Path staged = staging.resolve(device.slotImage(slot).getFileName());
        AtomicFiles.write(staged, Files.readAllBytes(image));
        BootVerifier.Boot boot;
        try {
            boot = BootVerifier.verify(device, slot, staged, board);
        } catch (SlotRejectedException e) {
            deleteTree(staging);
            throw e;
        }
        Path target = device.slot(slot);
        Path old = slots.resolve("." + slot + ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(staging, target);
        AtomicFiles.syncDirectory(slots);
        deleteTree(old);
        for (BundleDomain d : BundleDomain.values()) {
            Path dir = device.configDir(d);
            Files.createDirectories(dir);
            for (VerifiedFile f : boot.image().config(d)) {
                Path t = dir.resolve(Path.of(f.path()).getFileName());
                if (!Files.exists(t)) {
                    AtomicFiles.write(t, f.bytes());
                }
            }
        }
        return boot;
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
