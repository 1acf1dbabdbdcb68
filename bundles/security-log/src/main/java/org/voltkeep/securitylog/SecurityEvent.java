package org.voltkeep.securitylog;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of security event. {@link #eventName()} is what the log file and
 * telemetry carry: OCPP's security event names (OCPP 2.0.1, part 2, appendix
 * "Security events"), and Voltkeep's own names for what OCPP does not name.
 * {@link #critical()} follows OCPP: a critical event is pushed to the back office
 * at once, the others may wait for a log upload.
 */
public enum SecurityEvent {
    FIRMWARE_UPDATED("FirmwareUpdated", true, true),
    FAILED_TO_AUTHENTICATE_AT_CSMS("FailedToAuthenticateAtCsms", false, true),
    CSMS_FAILED_TO_AUTHENTICATE("CsmsFailedToAuthenticate", false, true),
    SETTING_SYSTEM_TIME("SettingSystemTime", true, true),
    STARTUP_OF_THE_DEVICE("StartupOfTheDevice", true, true),
    RESET_OR_REBOOT("ResetOrReboot", true, true),
    SECURITY_LOG_WAS_CLEARED("SecurityLogWasCleared", true, true),
    RECONFIGURATION_OF_SECURITY_PARAMETERS("ReconfigurationOfSecurityParameters", false, true),
    MEMORY_EXHAUSTION("MemoryExhaustion", true, true),
    INVALID_MESSAGES("InvalidMessages", false, true),
    ATTEMPTED_REPLAY_ATTACKS("AttemptedReplayAttacks", false, true),
    TAMPER_DETECTION_ACTIVATED("TamperDetectionActivated", true, true),
    INVALID_FIRMWARE_SIGNATURE("InvalidFirmwareSignature", false, true),
    INVALID_FIRMWARE_SIGNING_CERTIFICATE("InvalidFirmwareSigningCertificate", false, true),
    INVALID_CSMS_CERTIFICATE("InvalidCsmsCertificate", false, true),
    INVALID_CHARGING_STATION_CERTIFICATE("InvalidChargingStationCertificate", false, true),
    INVALID_TLS_VERSION("InvalidTLSVersion", false, true),
    INVALID_TLS_CIPHER_SUITE("InvalidTLSCipherSuite", false, true),
    MAINTENANCE_LOGIN_ACCEPTED("MaintenanceLoginAccepted", true, true),
    MAINTENANCE_LOGIN_FAILED("MaintenanceLoginFailed", true, true),

    /** The launcher verified the slot it boots (manifest, chain, floor, every bundle). */
    BOOT_VERIFIED("BootVerified", false, false),
    /** The launcher refused a slot; the detail names the bundle and the check. */
    BOOT_REFUSED("BootRefused", true, false),
    /** Trust anchors installed and a device identity key generated. */
    PROVISIONED_DEVICE("ProvisionedDevice", true, false),
    /** End of life: the device keys were wiped. */
    DECOMMISSIONED_DEVICE("DecommissionedDevice", true, false),
    /** The device accepts developer-signed code; logged at every boot in that mode. */
    DEVELOPMENT_TRUST_ACTIVE("DevelopmentTrustActive", true, false),
    /** An application-domain bundle was replaced while running. */
    BUNDLE_HOT_SWAPPED("BundleHotSwapped", false, false),
    /** A slot on trial failed (health check, crash loop, hang, attempts, verification); the previous slot boots again. */
    UPDATE_ROLLED_BACK("UpdateRolledBack", true, false);

    private final String eventName;
    private final boolean critical;
    private final boolean ocpp;

    SecurityEvent(String eventName, boolean critical, boolean ocpp) {
        this.eventName = eventName;
        this.critical = critical;
        this.ocpp = ocpp;
    }

    /** The name written to the log, e.g. {@code StartupOfTheDevice}. */
    public String eventName() {
        return eventName;
    }

    public boolean critical() {
        return critical;
    }

    /** True for OCPP's own names, false for Voltkeep's additions. */
    public boolean ocpp() {
        return ocpp;
    }

    /**
     * The event of a logged name. Empty for names this version does not know
     * (a newer image may have written them; a rolled-back one still reads the log).
     */
    public static Optional<SecurityEvent> byName(String eventName) {
        return Arrays.stream(values()).filter(e -> e.eventName.equals(eventName)).findFirst();
    }
}
