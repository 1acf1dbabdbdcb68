package org.voltkeep.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;

import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageVerifier;
import org.voltkeep.image.VerifiedImage;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;

/**
 * Verifies a slot's image against the device's root of trust: the manifest's CMS
 * signature and chain to an anchor with the image-signer role, the compatible
 * hardware, the anti-rollback floor, and every bundle (hash, signed-JAR signature,
 * signer role for its zone). There is no switch that skips it. It runs once per boot, in
 * the launcher; each domain then reads its bundles pinned to the manifest verified here
 * ({@link DomainMain}).
 */
final class BootVerifier {
    /** What a verified boot knows about itself. */
    record Boot(String slot, VerifiedImage image, TrustMode trustMode, BackendInfo backend, long floor, long verifyMillis) {
    }

    private BootVerifier() {
    }

    /** The hardware name images must be built for: the board the device runs. */
    static String compatibleFor(String board) {
        return "voltkeep-" + board;
    }

    static Boot verify(DeviceLayout device, String slot, String board) throws SlotRejectedException {
        return verify(device, slot, device.slotImage(slot), board, OptionalLong.empty());
    }

    /**
     * As {@link #verify(DeviceLayout, String, String)}, against {@code floor} when one is given
     * instead of the device's anti-rollback floor ({@link SlotStore#floorFor}: slot R has its own).
     */
    static Boot verify(DeviceLayout device, String slot, String board, OptionalLong floor) throws SlotRejectedException {
        return verify(device, slot, device.slotImage(slot), board, floor);
    }

    /** Verifies {@code image} as if it were booted from {@code slot} (an install checks its staged copy so). */
    static Boot verify(DeviceLayout device, String slot, Path image, String board) throws SlotRejectedException {
        return verify(device, slot, image, board, OptionalLong.empty());
    }

    private static Boot verify(DeviceLayout device, String slot, Path image, String board, OptionalLong floorToUse)
            throws SlotRejectedException {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(image)) {
            throw new SlotRejectedException(slot, "no image at " + image, true);
        }
        try (RootOfTrust rot = DeviceTrust.open(device)) {
            long floor = floorToUse.isPresent() ? floorToUse.getAsLong() : rot.counters().read(MonotonicCounters.SECURITY_VERSION);
            VerifyPolicy policy = new VerifyPolicy(rot.trustAnchors(), compatibleFor(board), floor, rot.trustMode(),
                    DeviceLayout.IMAGE_LIMITS, Clock.systemUTC());
            VerifiedImage verified = ImageVerifier.verify(image, policy);
            return new Boot(slot, verified, rot.trustMode(), rot.backend(), floor, (System.nanoTime() - t0) / 1_000_000);
        } catch (RotException e) {
            throw new SlotRejectedException(slot, "root of trust: " + e.getMessage());
        } catch (ImageRejected e) {
            throw new SlotRejectedException(slot, e);
        }
    }
}
