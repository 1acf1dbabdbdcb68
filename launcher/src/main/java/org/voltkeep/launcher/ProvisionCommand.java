package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.api.TrustMode;

/** {@code voltkeep provision} and {@code voltkeep decommission}. */
final class ProvisionCommand {
    static final String HELP = """
            usage: voltkeep provision --device DIR --anchors FILE [--rot soft|pkcs11 --pkcs11-config FILE]
                                      [--trust field|development] [--wipe]
                   voltkeep decommission --device DIR

            provision     installs the trust anchors (PEM), generates the device identity key
                          inside the root of trust, writes a certificate signing request to
                          DIR/rot/device.csr and sets the anti-rollback counters to 0. A device
                          that is already provisioned is refused unless --wipe is given.
                          --rot soft (default) keeps keys in files under DIR/rot: for desks and
                          simulators. --rot pkcs11 generates the key in a token (a TPM, a secure
                          element, SoftHSM2); the configuration file names the library, the
                          token (slot, slotListIndex or tokenLabel) and the PIN (pin or pinFile).
                          --trust development (default field) also accepts developer-signed code,
                          and says so in every status, log and attestation.
            decommission  end of life: wipes the device key and leaves a marker, so the device
                          no longer boots as provisioned.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ProvisionCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int provision(List<String> argv) throws UsageException {
        Args a = Args.parse("provision", argv, Set.of("device", "anchors", "rot", "pkcs11-config", "trust"), Set.of("wipe"));
        a.noPositionals("provision");
        DeviceLayout device = new DeviceLayout(a.requiredPath("provision", "device"));
        Path anchors = a.path("anchors").orElseThrow(() -> new UsageException("provision: --anchors FILE is required"));
        if (!Files.isRegularFile(anchors)) {
            throw new UsageException("provision: no anchors file " + anchors);
        }
        BackendKind kind = switch (a.value("rot").orElse("soft")) {
            case "soft" -> BackendKind.SOFT;
            case "pkcs11" -> BackendKind.PKCS11;
            default -> throw new UsageException("provision: --rot must be soft or pkcs11, not '" + a.value("rot").get() + "'");
        };
        Path pkcs11 = a.path("pkcs11-config").orElse(null);
        if ((kind == BackendKind.PKCS11) != (pkcs11 != null)) {
            throw new UsageException("provision: --pkcs11-config FILE goes with --rot pkcs11, and only with it");
        }
        TrustMode mode;
        try {
            mode = TrustMode.of(a.value("trust").orElse("field"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("provision: " + e.getMessage());
        }
        try {
            Provisioning.Result r = Provisioner.provision(device, anchors, kind, pkcs11, mode, a.flag("wipe"));
            out.println("provisioned " + device.root() + ": " + r.backend().description() + ", " + mode.id() + " trust, "
                    + r.anchors().size() + " anchor(s)");
            out.println("device key sha256 " + r.deviceKeyFingerprint());
            out.println("certificate signing request (" + r.subject().getName() + "): "
                    + RotRecord.rotDir(device.root()).resolve("device.csr"));
            return 0;
        } catch (RotException | IOException e) {
            err.println("voltkeep provision: " + e.getMessage());
            return 1;
        }
    }

    int decommission(List<String> argv) throws UsageException {
        Args a = Args.parse("decommission", argv, Set.of("device"), Set.of());
        a.noPositionals("decommission");
        DeviceLayout device = new DeviceLayout(a.requiredPath("decommission", "device"));
        try {
            Provisioner.decommission(device);
            out.println("decommissioned " + device.root() + ": device key wiped");
            return 0;
        } catch (RotException | IOException e) {
            err.println("voltkeep decommission: " + e.getMessage());
            return 1;
        }
    }
}
