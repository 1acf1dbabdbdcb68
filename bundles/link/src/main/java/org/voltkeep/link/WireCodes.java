package org.voltkeep.link;

import java.util.EnumSet;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.StopReason;

/**
 * Wire codes of the shared enums. Each table is one exhaustive switch, so a new
 * enum constant does not compile until it has a code; decoding derives from the
 * same table. Codes start at 1 so a zeroed byte is never a valid value; fault
 * codes are bit numbers of the 16-bit fault mask. Never renumber.
 */
final class WireCodes {
    private WireCodes() {
    }

    static int code(StopReason r) {
        return switch (r) {
            case LOCAL -> 1;
            case REMOTE -> 2;
            case EV_DISCONNECTED -> 3;
            case FAULT -> 4;
            case LINK_SILENT -> 5;
            case SHUTDOWN -> 6;
            case OTHER -> 7;
        };
    }

    static int code(ChargerState s) {
        return switch (s) {
            case A -> 1;
            case B1 -> 2;
            case B2 -> 3;
            case C1 -> 4;
            case C2 -> 5;
            case D1 -> 6;
            case D2 -> 7;
            case E -> 8;
            case F -> 9;
        };
    }

    static int code(LimitSource s) {
        return switch (s) {
            case HARDWARE -> 1;
            case CABLE -> 2;
            case CONFIGURED -> 3;
            case THERMAL_DERATING -> 4;
            case LINK_FALLBACK -> 5;
            case REQUEST -> 6;
            case NONE -> 7;
        };
    }

    static int code(LinkState s) {
        return switch (s) {
            case UP -> 1;
            case SILENT_FALLBACK -> 2;
            case DISCONNECTED -> 3;
        };
    }

    static int code(FallbackMode m) {
        return switch (m) {
            case SAFE_CURRENT -> 1;
            case STOP -> 2;
        };
    }

    /** The fault's bit number in the 16-bit fault mask, also its code in a FaultReport. */
    static int bit(Fault f) {
        return switch (f) {
            case RCD_TRIP -> 0;
            case CONTACTOR_WELDED -> 1;
            case CONTACTOR_STUCK_OPEN -> 2;
            case OVER_TEMPERATURE -> 3;
            case CP_SHORT -> 4;
            case DIODE_FAULT -> 5;
            case CABLE_REMOVED -> 6;
            case SELF_TEST_FAILED -> 7;
            case WATCHDOG_EXPIRED -> 8;
        };
    }

    static StopReason stopReason(int code, String field) {
        for (StopReason r : StopReason.values()) {
            if (code(r) == code) {
                return r;
            }
        }
        throw unknown(field, code);
    }

    static ChargerState chargerState(int code, String field) {
        for (ChargerState s : ChargerState.values()) {
            if (code(s) == code) {
                return s;
            }
        }
        throw unknown(field, code);
    }

    static LimitSource limitSource(int code, String field) {
        for (LimitSource s : LimitSource.values()) {
            if (code(s) == code) {
                return s;
            }
        }
        throw unknown(field, code);
    }

    static LinkState linkState(int code, String field) {
        for (LinkState s : LinkState.values()) {
            if (code(s) == code) {
                return s;
            }
        }
        throw unknown(field, code);
    }

    static FallbackMode fallbackMode(int code, String field) {
        for (FallbackMode m : FallbackMode.values()) {
            if (code(m) == code) {
                return m;
            }
        }
        throw unknown(field, code);
    }

    static Fault fault(int code, String field) {
        for (Fault f : Fault.values()) {
            if (bit(f) == code) {
                return f;
            }
        }
        throw unknown(field, code);
    }

    static ErrorCode errorCode(int code, String field) {
        ErrorCode c = ErrorCode.fromWire(code);
        if (c == null) {
            throw unknown(field, code);
        }
        if (c == ErrorCode.NONE) {
            throw new LinkProtocolException(ErrorCode.MALFORMED, field + " is NONE (0), which is not an error");
        }
        return c;
    }

    static int faultMask(Set<Fault> faults) {
        int mask = 0;
        for (Fault f : faults) {
            mask |= 1 << bit(f);
        }
        return mask;
    }

    static Set<Fault> faults(int mask, String field) {
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        int known = 0;
        for (Fault f : Fault.values()) {
            int b = 1 << bit(f);
            known |= b;
            if ((mask & b) != 0) {
                faults.add(f);
            }
        }
        if ((mask & ~known) != 0) {
            throw new LinkProtocolException(ErrorCode.MALFORMED,
                    String.format("%s has unknown bits 0x%04x", field, mask & ~known));
        }
        return faults;
    }

    private static LinkProtocolException unknown(String field, int code) {
        return new LinkProtocolException(ErrorCode.MALFORMED, String.format("%s has unknown code 0x%02x", field, code));
    }
}
