package org.voltkeep.securitylog;

/** Why the chain of the security log breaks at a record. */
public enum ChainProblem {
    /** The line is not a record: not JSON, missing or unknown keys, wrong types, not in canonical form. */
    MALFORMED,
    /** The record's content does not match its hash: a field was changed. */
    EDITED,
    /** A sequence number is missing: one or more records were deleted. */
    REMOVED,
    /** Records are out of sequence: moved, swapped or repeated. */
    REORDERED,
    /**
     * The sequence is right and the record matches its own hash, but its
     * {@code prev} is not the hash of the record before it: a record was replaced
     * by one made for another chain, or two writers forked the chain.
     */
    CHAIN_BROKEN
}
