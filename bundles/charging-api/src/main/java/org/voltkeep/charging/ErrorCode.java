package org.voltkeep.charging;

/** Why a request was refused. Codes are part of the link protocol: never renumber. */
public enum ErrorCode {
    NONE(0),
    MALFORMED(1),
    UNKNOWN_TYPE(2),
    OUT_OF_RANGE(3),
    TOO_LARGE(4),
    RATE_LIMITED(5),
    NOT_ALLOWED(6),
    FAULT_LATCHED(7),
    NO_VEHICLE(8),
    BAD_SEQUENCE(9),
    VERSION_MISMATCH(10),
    NOT_CONNECTED(11),
    TIMEOUT(12),
    INTERNAL(13);

    private final int wire;

    ErrorCode(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public static ErrorCode fromWire(int code) {
        for (ErrorCode c : values()) {
            if (c.wire == code) {
                return c;
            }
        }
        return null;
    }
}
