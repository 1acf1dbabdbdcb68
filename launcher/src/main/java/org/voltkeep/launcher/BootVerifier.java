package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

import org.voltkeep.image.BundleDomain;
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
 * signer role for its zone). There is no switch that skips it.
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
        return verify(device, slot, device.slotImage(slot), board, Optional.empty(), OptionalLong.empty());
    }

    /**
     * As {@link #verify(DeviceLayout, String, String)}, against {@code floor} when one is given
     * instead of the device's anti-rollback floor ({@link SlotStore#floorFor}: slot R has its own).
     */
    static Boot verify(DeviceLayout device, String slot, String board, OptionalLong floor) throws SlotRejectedException {
        return verify(device, slot, device.slotImage(slot), board, Optional.empty(), floor);
    }

    /**
     * As a domain verifies before it installs: the whole image, but the signed-JAR
     * checks only for its own bundles (the first stage checked all of them); {@code floor}
     * as in {@link #verify(DeviceLayout, String, String, OptionalLong)}.
     */
    static Boot verifyFor(DeviceLayout device, String slot, String board, BundleDomain domain, OptionalLong floor)
            throws SlotRejectedException {
        return verify(device, slot, device.slotImage(slot), board, Optional.of(domain), floor);
    }

    /** Verifies {@code image} as if it were booted from {@code slot} (an install checks its staged copy so). */
    static Boot verify(DeviceLayout device, String slot, Path image, String board) throws SlotRejectedException {
        return verify(device, slot, image, board, Optional.empty(), OptionalLong.empty());
    }

    private static Boot verify(DeviceLayout device, String slot, Path image, String board, Optional<BundleDomain> domain,
            OptionalLong floorToUse) throws SlotRejectedException {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(image)) {
            throw new SlotRejectedException(slot, "no image at " + image, true);
        }
        Path scratch = null;
        try (RootOfTrust rot = DeviceTrust.open(device)) {
            long floor = floorToUse.isPresent() ? floorToUse.getAsLong() : rot.counters().read(MonotonicCounters.SECURITY_VERSION);
            Files.createDirectories(device.run());
            scratch = Files.createTempDirectory(device.run(), "verify-");
            VerifyPolicy policy = new VerifyPolicy(rot.trustAnchors(), compatibleFor(board), floor, rot.trustMode(),
                    VerifyPolicy.Limits.DEFAULT, Clock.systemUTC(), scratch);
            VerifiedImage verified = domain.isPresent()
                    ? ImageVerifier.verifyFor(image, policy, domain.get())
                    : ImageVerifier.verify(image, policy);
            return new Boot(slot, verified, rot.trustMode(), rot.backend(), floor, (System.nanoTime() - t0) / 1_000_000);
        } catch (RotException e) {
            throw new SlotRejectedException(slot, "root of trust: " + e.getMessage());
        } catch (ImageRejected e) {
            throw new SlotRejectedException(slot, e);
        } catch (IOException e) {
            throw new SlotRejectedException(slot, "cannot prepare verification: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try {
                    FileOps.REAL.deleteTree(scratch);
                } catch (IOException e) {
                    // public bundle bytes only; the next boot's run/ cleanup removes it
                }
            }
        }
    }
}
