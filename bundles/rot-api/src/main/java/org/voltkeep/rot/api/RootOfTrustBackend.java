package org.voltkeep.rot.api;

import java.nio.file.Path;

/**
 * One root-of-trust backend: provisions a device directory, opens it, and wipes it at
 * end of life. {@code deviceDir} is the device root; backends keep their files in
 * {@code deviceDir/rot/} (see {@link RotRecord}).
 */
public interface RootOfTrustBackend {

    BackendKind kind();

    /** Where the device stands in its provisioning life cycle, as this backend sees it. */
    DeviceState state(Path deviceDir) throws RotException;

    /**
     * Installs the anchors, generates the device identity key inside the backend, sets
     * the counters to 0, and returns a CSR for the device certificate.
     *
     * @throws RotException if the device is already provisioned (or decommissioned) and
     *                      {@code request.wipe()} is false, or anything fails; on failure
     *                      the device is left unprovisioned
     */
    Provisioning.Result provision(Path deviceDir, Provisioning.Request request) throws RotException;

    /**
     * End of life: wipes the device key and the backend's material and leaves a marker,
     * so the device no longer opens or boots as provisioned.
     */
    void decommission(Path deviceDir) throws RotException;

    /**
     * Opens a provisioned device.
     *
     * @throws RotException if it is not provisioned, was decommissioned, or its material
     *                      was tampered with (anchors replaced, key missing)
     */
    RootOfTrust open(Path deviceDir) throws RotException;
}
