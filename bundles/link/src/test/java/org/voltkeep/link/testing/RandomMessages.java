package org.voltkeep.link.testing;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.StopReason;
import org.voltkeep.link.LinkValidator;
import org.voltkeep.link.Message;
import org.voltkeep.link.MessageType;

/**
 * Random valid messages of every type, biased towards the edges of each range
 * (where off-by-one encoders break).
 */
public final class RandomMessages {
    private static final String CLAIM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

    private final Random random;

    public RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    public Message any() {
        MessageType[] types = MessageType.values();
        return of(types[random.nextInt(types.length)]);
    }

    public Message of(MessageType type) {
        return switch (type) {
            case HELLO -> new Message.Hello(intIn(0, 0xFFFF), printable(1, LinkValidator.MAX_PEER_NAME));
            case KEEP_ALIVE -> new Message.KeepAlive(seq());
            case AUTHORIZE -> new Message.Authorize(seq(), printable(1, LinkValidator.MAX_ID_TAG));
            case STOP -> new Message.Stop(seq(), pick(StopReason.values()));
            case SET_LIMIT -> new Message.SetLimit(seq(), claimId(), intIn(0, LinkValidator.MAX_PRIORITY),
                    intIn(0, LinkValidator.MAX_MILLIAMPS), intIn(1, LinkValidator.MAX_TTL_MILLIS));
            case CLEAR_LIMIT -> new Message.ClearLimit(seq(), claimId());
            case RESET_FAULTS -> new Message.ResetFaults(seq());
            case STATUS_REQUEST -> new Message.StatusRequest(seq());
            case HELLO_ACK -> new Message.HelloAck(intIn(0, 0xFFFF), anyLong());
            case ACK -> new Message.Ack(seq());
            case ERROR -> new Message.Error(random.nextInt(4) == 0 ? 0 : seq(), errorCode(),
                    printable(0, LinkValidator.MAX_STRING));
            case STATUS -> new Message.StatusMessage(status());
            case FAULT_REPORT -> new Message.FaultReport(pick(Fault.values()), random.nextBoolean(), anyLong());
        };
    }

    public ChargerStatus status() {
        // Safety reports a tag only while authorized.
        boolean authorized = random.nextBoolean();
        return new ChargerStatus(anyLong(), pick(ChargerState.values()), intIn(0, LinkValidator.MAX_PWM_PERMILLE),
                random.nextBoolean(), random.nextBoolean(), authorized,
                authorized ? printable(1, LinkValidator.MAX_ID_TAG) : "", anyLong(), anyLong(), anyLong(), anyLong(),
                anyInt(), anyInt(), anyInt(), pick(LimitSource.values()), anyInt(), anyInt(), faults(),
                pick(LinkState.values()), pick(FallbackMode.values()), random.nextBoolean(), random.nextBoolean());
    }

    private Set<Fault> faults() {
        Set<Fault> s = EnumSet.noneOf(Fault.class);
        for (Fault f : Fault.values()) {
            if (random.nextBoolean()) {
                s.add(f);
            }
        }
        return s;
    }

    private ErrorCode errorCode() {
        ErrorCode c;
        do {
            c = pick(ErrorCode.values());
        } while (c == ErrorCode.NONE);
        return c;
    }

    public long seq() {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> Long.MAX_VALUE;
            default -> 1 + (random.nextLong() & Long.MAX_VALUE) % (Long.MAX_VALUE - 1);
        };
    }

    private int intIn(int min, int max) {
        return switch (random.nextInt(5)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(max - min + 1);
        };
    }

    private int anyInt() {
        return switch (random.nextInt(5)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            default -> random.nextInt();
        };
    }

    private long anyLong() {
        return switch (random.nextInt(5)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            default -> random.nextLong();
        };
    }

    private String printable(int minLength, int maxLength) {
        int length = intIn(minLength, maxLength);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) intIn(0x20, 0x7E));
        }
        return b.toString();
    }

    private String claimId() {
        int length = intIn(1, LinkValidator.MAX_CLAIM_ID);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(CLAIM_CHARS.charAt(random.nextInt(CLAIM_CHARS.length())));
        }
        return b.toString();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
