package org.voltkeep.safety.link.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.link.Message;

class OutboxTest {
    private static Message.StatusMessage status(long t) {
        return new Message.StatusMessage(RecordingController.status(t, ChargerState.A, Set.of()));
    }

    @Test
    void onlyTheNewestStatusWaitsAndRepliesGoFirst() throws Exception {
        Outbox o = new Outbox(8);
        o.offerStatus(status(1));
        o.offer(new Message.Ack(1));
        o.offerStatus(status(2));
        o.offer(new Message.Ack(2));
        o.finish();
        assertThat(o.take()).isEqualTo(new Message.Ack(1));
        assertThat(o.take()).isEqualTo(new Message.Ack(2));
        assertThat(o.take()).isEqualTo(status(2));
        assertThat(o.take()).isNull();
    }

    @Test
    void aFullQueueRefusesAndStatusesNeverFillIt() {
        Outbox o = new Outbox(2);
        for (int i = 0; i < 100; i++) {
            o.offerStatus(status(i));
        }
        assertThat(o.offer(new Message.Ack(1))).isTrue();
        assertThat(o.offer(new Message.Ack(2))).isTrue();
        assertThat(o.offer(new Message.Ack(3))).isFalse();
    }

    @Test
    void closeDropsEverythingAndWakesTheWriter() throws Exception {
        Outbox o = new Outbox(2);
        Thread closer = new Thread(o::close);
        closer.start();
        assertThat(o.take()).isNull();
        closer.join();
    }
}
