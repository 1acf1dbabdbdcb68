package org.voltkeep.attestation;

/** Field checks shared by the report's values. */
final class Checks {
    private Checks() {
    }

    static void requireSha256(String what, String hex) {
        if (hex == null || hex.length() != 64 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException(what + " must be a SHA-256 as 64 lowercase hex digits, was '" + hex + "'");
        }
    }
}
