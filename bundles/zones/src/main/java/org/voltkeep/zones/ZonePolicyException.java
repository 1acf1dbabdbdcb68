package org.voltkeep.zones;

/**
 * A zone policy file that cannot be used. The message names the file, the line
 * (when one is to blame) and what is wrong with it; a domain with such a policy does
 * not boot.
 */
public final class ZonePolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    ZonePolicyException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file (or other source) the policy came from. */
    public String source() {
        return source;
    }

    /** The 1-based line that is wrong, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
