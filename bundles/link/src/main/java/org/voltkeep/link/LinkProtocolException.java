package org.voltkeep.link;

import java.util.Objects;

import org.voltkeep.charging.ErrorCode;

/**
 * A frame or a message value that the link protocol refuses. {@link #code()} is
 * what the safety domain answers on the wire, {@link #detail()} names the field
 * and what was wrong with it ("SetLimit.priority 250 is outside 0..100").
 *
 * <p>It is an {@link IllegalArgumentException} because message records throw it
 * from their constructors (a record's canonical constructor cannot declare a
 * checked exception), which keeps every {@link Message} value valid by
 * construction on both sides of the link.
 */
public class LinkProtocolException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;
    private final long seq;

    public LinkProtocolException(ErrorCode code, String detail) {
        this(code, detail, 0);
    }

    /**
     * @param seq the sequence number of the offending request when it could be read
     *            and was valid, 0 otherwise
     */
    public LinkProtocolException(ErrorCode code, String detail, long seq) {
        super(Objects.requireNonNull(code, "code") + ": " + Objects.requireNonNull(detail, "detail"));
        this.code = code;
        this.detail = detail;
        this.seq = seq;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    /** The request's sequence number, 0 when the frame had none or it was unreadable. */
    public long seq() {
        return seq;
    }

    /** The same refusal, tagged with the sequence number read before the failure. */
    public LinkProtocolException withSeq(long requestSeq) {
        if (seq != 0 || requestSeq == 0) {
            return this;
        }
        LinkProtocolException e = new LinkProtocolException(code, detail, requestSeq);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
