package org.voltkeep.launcher;

import java.io.IOException;
import java.time.Clock;

import org.voltkeep.image.ImageRejected;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.securitylog.SecurityEvent;
import org.voltkeep.securitylog.SecurityLog;

/**
 * What a boot leaves in the security log (OCPP event names), and the boot counter
 * that attestation reports. The launcher writes them once per boot; the domains do not.
 */
final class BootEvents {
    private BootEvents() {
    }

    static void verified(DeviceLayout device, BootVerifier.Boot boot) throws IOException {
        long bootCount;
        try (RootOfTrust rot = DeviceTrust.open(device)) {
            bootCount = rot.counters().increment(MonotonicCounters.BOOT);
        } catch (RotException e) {
            throw new IOException("cannot count this boot: " + e.getMessage(), e);
        }
        SecurityLog log = SecurityLog.forDevice(device.root(), Clock.systemUTC());
        log.append(SecurityEvent.STARTUP_OF_THE_DEVICE, "boot " + bootCount + " from slot " + boot.slot());
        log.append(SecurityEvent.BOOT_VERIFIED, "slot " + boot.slot() + ": image " + boot.image().manifest().version()
                + " verified, " + boot.image().bundles().size() + " bundles", Json.object()
                .put("slot", boot.slot())
                .put("imageVersion", boot.image().manifest().version())
                .put("securityVersion", boot.image().manifest().securityVersion())
                .put("manifestSha256", boot.image().manifestSha256())
                .put("trustMode", boot.trustMode().id())
                .put("rootOfTrust", boot.backend().kind().id())
                .put("bootCounter", bootCount));
        if (boot.trustMode() == TrustMode.DEVELOPMENT) {
            log.append(SecurityEvent.DEVELOPMENT_TRUST_ACTIVE,
                    "this device trusts development keys: not for the field");
        }
    }

    static void refused(DeviceLayout device, SlotRejectedException e) {
        try {
            SecurityLog log = SecurityLog.forDevice(device.root(), Clock.systemUTC());
            ImageRejected why = e.imageRejected().orElse(null);
            if (why != null && why.reason().certificateProblem()) {
                log.append(SecurityEvent.INVALID_FIRMWARE_SIGNING_CERTIFICATE, e.getMessage());
            } else if (why != null && why.reason().signatureProblem()) {
                log.append(SecurityEvent.INVALID_FIRMWARE_SIGNATURE, e.getMessage());
            }
            log.append(SecurityEvent.BOOT_REFUSED, e.getMessage());
        } catch (IOException io) {
            // the refusal itself stands; the console and exit code report it
            System.err.println("voltkeep: cannot write the security log: " + io.getMessage());
        }
    }

    /** An install refused its image: signature and certificate problems under their OCPP names. */
    static void installRefused(DeviceLayout device, String slot, SlotRejectedException e) {
        try {
            SecurityLog log = SecurityLog.forDevice(device.root(), Clock.systemUTC());
            ImageRejected why = e.imageRejected().orElse(null);
            if (why != null && why.reason().certificateProblem()) {
                log.append(SecurityEvent.INVALID_FIRMWARE_SIGNING_CERTIFICATE, "install into slot " + slot + ": " + e.getMessage());
            } else if (why != null && why.reason().signatureProblem()) {
                log.append(SecurityEvent.INVALID_FIRMWARE_SIGNATURE, "install into slot " + slot + ": " + e.getMessage());
            }
        } catch (IOException io) {
            System.err.println("voltkeep: cannot write the security log: " + io.getMessage());
        }
    }

    /** A trial passed its health check: the new image is committed and the floor raised. */
    static void committed(DeviceLayout device, BootVerifier.Boot boot, long floor) {
        append(device, SecurityEvent.FIRMWARE_UPDATED, "slot " + boot.slot() + ": image " + boot.image().manifest().version()
                + " committed after its trial; anti-rollback floor " + floor, Json.object()
                .put("slot", boot.slot())
                .put("imageVersion", boot.image().manifest().version())
                .put("securityVersion", boot.image().manifest().securityVersion())
                .put("manifestSha256", boot.image().manifestSha256())
                .put("floor", floor));
    }

    static void rolledBack(DeviceLayout device, String slot, String previous, String why) {
        append(device, SecurityEvent.UPDATE_ROLLED_BACK, "slot " + slot + " marked bad, back to slot " + previous + ": " + why,
                Json.object().put("slot", slot).put("previous", previous).put("why", why));
    }

    static void reboot(DeviceLayout device, String why) {
        append(device, SecurityEvent.RESET_OR_REBOOT, why, null);
    }

    private static void append(DeviceLayout device, SecurityEvent event, String detail, Json.Obj techInfo) {
        try {
            SecurityLog.forDevice(device.root(), Clock.systemUTC()).append(event, detail, techInfo);
        } catch (IOException io) {
            // the state change stands; the console reports that the log could not record it
            System.err.println("voltkeep: cannot write the security log: " + io.getMessage());
        }
    }
}
