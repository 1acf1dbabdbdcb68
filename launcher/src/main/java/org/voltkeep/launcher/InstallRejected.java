package org.voltkeep.launcher;

import org.voltkeep.image.ImageRejected;

/** An install that changed nothing, with the OCPP FirmwareStatus that reports it and the precise reason. */
final class InstallRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** OCPP FirmwareStatus names of a failed install. */
    enum Status {
        /** The manifest's or a bundle's signature, a signer's chain or role. */
        INVALID_SIGNATURE("InvalidSignature"),
        /** Hashes, sizes, structure, compatible hardware, downgrade below the anti-rollback floor. */
        INSTALL_VERIFICATION_FAILED("InstallVerificationFailed"),
        /** I/O, no space, the device's state does not allow an install now. */
        INSTALLATION_FAILED("InstallationFailed");

        private final String ocppName;

        Status(String ocppName) {
            this.ocppName = ocppName;
        }

        String ocppName() {
            return ocppName;
        }

        /** How a refused image is reported: its signature and certificate problems apart from the rest. */
        static Status of(SlotRejectedException e) {
            return e.imageRejected().map(r -> r.reason() == ImageRejected.Reason.IO_ERROR ? INSTALLATION_FAILED
                    : r.reason().signatureProblem() ? INVALID_SIGNATURE : INSTALL_VERIFICATION_FAILED)
                    .orElse(INSTALLATION_FAILED);
        }
    }

    private final Status status;

    InstallRejected(Status status, String reason) {
        super(reason);
        this.status = status;
    }

    InstallRejected(Status status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    Status status() {
        return status;
    }
}
