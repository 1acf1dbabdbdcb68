package org.voltkeep.link;

/**
 * The first payload byte of every frame. Codes are part of the protocol: never
 * renumber, never reuse. Messages from safety have the high bit set.
 */
public enum MessageType {
    HELLO(0x01, Sender.APPLICATION, "Hello"),
    KEEP_ALIVE(0x02, Sender.APPLICATION, "KeepAlive"),
    AUTHORIZE(0x03, Sender.APPLICATION, "Authorize"),
    STOP(0x04, Sender.APPLICATION, "Stop"),
    SET_LIMIT(0x05, Sender.APPLICATION, "SetLimit"),
    CLEAR_LIMIT(0x06, Sender.APPLICATION, "ClearLimit"),
    RESET_FAULTS(0x07, Sender.APPLICATION, "ResetFaults"),
    STATUS_REQUEST(0x08, Sender.APPLICATION, "StatusRequest"),

    HELLO_ACK(0x81, Sender.SAFETY, "HelloAck"),
    ACK(0x82, Sender.SAFETY, "Ack"),
    ERROR(0x83, Sender.SAFETY, "Error"),
    STATUS(0x84, Sender.SAFETY, "StatusMessage"),
    FAULT_REPORT(0x85, Sender.SAFETY, "FaultReport");

    /** Which domain sends a message type. */
    public enum Sender {
        APPLICATION, SAFETY
    }

    private final int code;
    private final Sender sender;
    private final String messageName;

    MessageType(int code, Sender sender, String messageName) {
        this.code = code;
        this.sender = sender;
        this.messageName = messageName;
    }

    /** The wire byte, 0x01..0xFF. */
    public int code() {
        return code;
    }

    public Sender sender() {
        return sender;
    }

    /** The record's name, used in error details ("SetLimit.priority ..."). */
    public String messageName() {
        return messageName;
    }

    /** The type with this wire byte, or null when there is none. */
    public static MessageType fromCode(int code) {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
