package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.VerifyPolicy;

/**
 * The device directory: what a charger keeps on its writable storage.
 *
 * <pre>
 * boot-state            which slot boots, slot verdicts, trial (written atomically; {@link BootState})
 * device.lock           held by the one process writing slots and boot state ({@link DeviceLock})
 * slots/a, slots/b      the A/B slots, each holding one signed image (image.vkimg)
 * slots/r               the recovery image (written only when the device is made)
 * slots/.X.staging      an image being installed into slot X, verified there first
 * data/                 survives updates: config/app, config/safety, sessions/, security/, safety/
 *                       (versioned stores, see DATA.md), logs/
 * rot/                  root-of-trust material (anchors, keys, counters)
 * run/                  sockets, ready markers and framework caches of this boot
 * </pre>
 */
record DeviceLayout(Path root) {
    /** The caps a slot's image is read under: by the launcher that verifies it, and by each domain that reads it back. */
    static final VerifyPolicy.Limits IMAGE_LIMITS = VerifyPolicy.Limits.DEFAULT;

    DeviceLayout {
        root = root.toAbsolutePath().normalize();
    }

    Path bootState() {
        return root.resolve("boot-state");
    }

    Path slot(String slot) {
        return root.resolve("slots").resolve(slot);
    }

    Path slotImage(String slot) {
        return slot(slot).resolve("image.vkimg");
    }

    Path slots() {
        return root.resolve("slots");
    }

    /** Where an image for {@code slot} is copied and verified before it replaces the slot. */
    Path staging(Slot slot) {
        return slots().resolve("." + slot.id() + ".staging");
    }

    /** Where a slot's previous content waits for deletion while the staged one takes its place. */
    Path replaced(Slot slot) {
        return slots().resolve("." + slot.id() + ".old");
    }

    Path data() {
        return root.resolve("data");
    }

    Path configDir(BundleDomain domain) {
        return data().resolve("config").resolve(domain.id());
    }

    Path logs() {
        return data().resolve("logs");
    }

    Path rot() {
        return root.resolve("rot");
    }

    Path run() {
        return root.resolve("run");
    }

    Path readyMarker(BundleDomain domain) {
        return run().resolve(domain.id() + ".ready");
    }

    Path frameworkStorage(BundleDomain domain) {
        return run().resolve("felix-" + domain.id());
    }

    Path appSocket() {
        return run().resolve("app.sock");
    }

    Path simSocket() {
        return run().resolve("sim.sock");
    }

    /** The launcher's own socket: slots, install, activate (the update agent's door to the slot store). */
    Path bootSocket() {
        return run().resolve("boot.sock");
    }


    /** Held by the one process that may write the slots and the boot state ({@link DeviceLock}). */
    Path lockFile() {
        return root.resolve("device.lock");
    }

    Path supervisorState() {
        return run().resolve("supervisor.json");
    }

    boolean exists() {
        return Files.isRegularFile(bootState());
    }

    void createDirectories() throws IOException {
        for (Path p : new Path[] {slot("a"), slot("b"), data(), logs(), rot(), run(),
                configDir(BundleDomain.SAFETY), configDir(BundleDomain.APP)}) {
            Files.createDirectories(p);
        }
    }

    /** Refuses with a message that says what is missing. */
    void requireDevice() throws UsageException {
        if (!exists()) {
            throw new UsageException("no device at " + root + " (no boot-state file); create one with: voltkeep demo --device " + root);
        }
    }
}
