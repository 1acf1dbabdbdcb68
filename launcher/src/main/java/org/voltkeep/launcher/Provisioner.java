package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

import org.voltkeep.json.Json;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RootOfTrustBackend;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.securitylog.SecurityEvent;
import org.voltkeep.securitylog.SecurityLog;

/** Provisioning and end of life of a device's root of trust, with their security events. */
final class Provisioner {
    private Provisioner() {
    }

    /**
     * Installs the anchors, generates the device key inside the backend, sets the
     * counters to 0 and writes the CSR to {@code rot/device.csr}.
     */
    static Provisioning.Result provision(DeviceLayout device, Path anchors, BackendKind kind, Path pkcs11Config,
            TrustMode mode, boolean wipe) throws IOException, RotException {
        Files.createDirectories(RotRecord.rotDir(device.root()));
        String pem = Files.readString(anchors, StandardCharsets.US_ASCII);
        if (kind == BackendKind.PKCS11) {
            // the launcher opens the token at every boot with this configuration
            Files.copy(pkcs11Config, DeviceTrust.pkcs11Config(device), StandardCopyOption.REPLACE_EXISTING);
        }
        RootOfTrustBackend backend = DeviceTrust.backend(kind, kind == BackendKind.PKCS11 ? pkcs11Config : null);
        Provisioning.Result r = backend.provision(device.root(), Provisioning.Request.of(pem, mode).withWipe(wipe));
        AtomicFiles.write(RotRecord.rotDir(device.root()).resolve("device.csr"), r.csrPem());
        SecurityLog.forDevice(device.root(), Clock.systemUTC()).append(SecurityEvent.PROVISIONED_DEVICE,
                "provisioned with the " + kind.id() + " root of trust, " + mode.id() + " trust", Json.object()
                        .put("backend", kind.id())
                        .put("trustMode", mode.id())
                        .put("deviceKeySha256", r.deviceKeyFingerprint())
                        .put("anchors", r.anchors().size())
                        .put("wipe", wipe));
        return r;
    }

    static void decommission(DeviceLayout device) throws IOException, RotException {
        DeviceTrust.backendOf(device).decommission(device.root());
        SecurityLog.forDevice(device.root(), Clock.systemUTC()).append(SecurityEvent.DECOMMISSIONED_DEVICE,
                "device keys wiped; the device no longer boots as provisioned");
    }
}
