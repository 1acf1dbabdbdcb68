package org.voltkeep.attestation;

import java.util.Objects;
import java.util.Optional;

import org.voltkeep.json.Json;

/**
 * What {@link AttestationVerifier} decided.
 *
 * @param outcome what was found; only {@link Outcome#VALID} means the report can be believed
 * @param message the reason in words
 * @param report  the report, only when valid
 */
public record AttestationVerdict(Outcome outcome, String message, Optional<AttestationReport> report) {

    /** The checks, in the order they run; the first that fails is the outcome. */
    public enum Outcome {
        VALID,
        /** Not JSON, a missing or unknown field, a value out of range, an unknown schema version. */
        MALFORMED,
        /** The signature names an algorithm Voltkeep does not verify. */
        UNSUPPORTED_ALGORITHM,
        /** The certificate given to check with may not sign reports (key usage) or was not valid when the report was made. */
        CERTIFICATE_UNUSABLE,
        /** The report carries (or names) another key than the one given to check with. */
        KEY_MISMATCH,
        /** The signature does not match the report: something in it was changed, or another key signed. */
        SIGNATURE_MISMATCH,
        /** A nonce was expected and the report carries another one, or none. */
        NONCE_MISMATCH
    }

    public AttestationVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(report, "report");
        if (report.isPresent() != (outcome == Outcome.VALID)) {
            throw new IllegalArgumentException("a verdict carries the report exactly when it is valid");
        }
    }

    public boolean ok() {
        return outcome == Outcome.VALID;
    }

    static AttestationVerdict valid(AttestationReport report) {
        return new AttestationVerdict(Outcome.VALID, "signature valid for device key " + report.deviceKeySha256(),
                Optional.of(report));
    }

    static AttestationVerdict refused(Outcome outcome, String message) {
        return new AttestationVerdict(outcome, message, Optional.empty());
    }

    public Json.Obj toJson() {
        Json.Obj o = Json.object().put("ok", ok()).put("outcome", outcome).put("message", message);
        report.ifPresent(r -> o.put("report", r.toJson()));
        return o;
    }
}
