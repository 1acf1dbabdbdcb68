package org.voltkeep.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.DeviceState;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RootOfTrustBackend;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.pkcs11.Pkcs11Config;
import org.voltkeep.rot.pkcs11.Pkcs11RootOfTrustBackend;
import org.voltkeep.rot.soft.SoftRootOfTrustBackend;

/**
 * Opens a device's root of trust with the backend its provisioning record names.
 * A PKCS#11 device keeps the token configuration it was provisioned with in
 * {@code rot/pkcs11.properties} (the PIN stays where that file points).
 */
final class DeviceTrust {
    static final String PKCS11_CONFIG = "pkcs11.properties";

    private DeviceTrust() {
    }

    static RootOfTrustBackend backend(BackendKind kind, Path pkcs11Config) throws RotException {
        return switch (kind) {
            case SOFT -> new SoftRootOfTrustBackend(Clock.systemUTC());
            case PKCS11 -> new Pkcs11RootOfTrustBackend(Pkcs11Config.load(pkcs11Config), Clock.systemUTC());
        };
    }

    /** The backend that provisioned this device. */
    static RootOfTrustBackend backendOf(DeviceLayout device) throws RotException {
        RotRecord record = RotRecord.read(device.root())
                .orElseThrow(() -> new RotException("device " + device.root() + " is not provisioned (no "
                        + RotRecord.file(device.root()) + "); provision it with: voltkeep provision --device " + device.root()));
        if (record.state() != DeviceState.PROVISIONED) {
            throw new RotException("device " + device.root() + " is " + record.state().name().toLowerCase(java.util.Locale.ROOT)
                    + " and does not boot");
        }
        return backend(record.backend(), pkcs11Config(device));
    }

    static Path pkcs11Config(DeviceLayout device) {
        return RotRecord.rotDir(device.root()).resolve(PKCS11_CONFIG);
    }

    static RootOfTrust open(DeviceLayout device) throws RotException {
        return backendOf(device).open(device.root());
    }

    static boolean provisioned(DeviceLayout device) throws RotException {
        return Files.exists(RotRecord.file(device.root())) && RotRecord.stateOf(device.root()) == DeviceState.PROVISIONED;
    }
}
