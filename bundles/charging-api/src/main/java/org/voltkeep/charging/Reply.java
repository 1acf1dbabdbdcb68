package org.voltkeep.charging;

/** The answer to a request: accepted, or refused with a code and a reason a person can read. */
public record Reply(boolean accepted, ErrorCode code, String detail) {
    public static final Reply OK = new Reply(true, ErrorCode.NONE, "");

    public static Reply refused(ErrorCode code, String detail) {
        return new Reply(false, code, detail);
    }
}
