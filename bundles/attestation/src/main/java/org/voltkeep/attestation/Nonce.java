package org.voltkeep.attestation;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A verifier's challenge, echoed in a signed report so that an old report cannot be
 * replayed: 8 to 64 bytes, written as lowercase hex.
 *
 * @param hex the bytes as hex; upper case is accepted and kept in lower case
 */
public record Nonce(String hex) {
    public static final int MIN_BYTES = 8;
    public static final int MAX_BYTES = 64;
    /** What {@link #random(SecureRandom)} draws: as much as a SHA-256. */
    public static final int DEFAULT_BYTES = 32;

    public Nonce {
        Objects.requireNonNull(hex, "nonce");
        if (hex.length() % 2 != 0 || hex.length() < 2 * MIN_BYTES || hex.length() > 2 * MAX_BYTES) {
            throw new IllegalArgumentException("nonce '" + abbreviate(hex) + "' must be " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes as hex (" + 2 * MIN_BYTES + " to " + 2 * MAX_BYTES + " hex digits, an even count); it has "
                    + hex.length() + " characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("nonce '" + abbreviate(hex) + "' has a non-hex character at position " + (i + 1));
            }
        }
        hex = hex.toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a hex nonce; the exception says what is wrong with it. */
    public static Nonce of(String hex) {
        return new Nonce(hex);
    }

    public static Nonce random(SecureRandom random) {
        byte[] b = new byte[DEFAULT_BYTES];
        random.nextBytes(b);
        return new Nonce(HexFormat.of().formatHex(b));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
