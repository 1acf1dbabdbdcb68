package org.voltkeep.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.voltkeep.json.Json;

class WatcherAndLineReaderTest {

    @Test
    void aFullWatcherDropsTheOldestAndSaysHowMany() throws Exception {
        Watcher w = new Watcher(4);
        for (int i = 1; i <= 10; i++) {
            w.offer("e" + i);
        }
        assertThat(w.queued()).isEqualTo(4);

        Json.Obj notice = Json.parseObject(w.take());
        assertThat(notice.string("event")).isEqualTo("dropped");
        assertThat(notice.integer("count")).isEqualTo(6);
        assertThat(new String[] {w.take(), w.take(), w.take(), w.take()}).containsExactly("e7", "e8", "e9", "e10");
    }

    @Test
    void takeWaitsForTheNextEvent() throws Exception {
        Watcher w = new Watcher(2);
        Thread producer = new Thread(() -> w.offer("later"));
        producer.start();
        assertThat(w.take()).isEqualTo("later");
        producer.join();
    }

    @Test
    void linesAreSplitAnOverlongOneIsSkippedAndReadingGoesOn() throws Exception {
        String text = "one\r\n" + "x".repeat(100) + "\ntwo\nlast";
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 50);

        assertThat(r.next().text()).isEqualTo("one");
        LineReader.Line tooLong = r.next();
        assertThat(tooLong.text()).isNull();
        assertThat(tooLong.problem()).contains("longer than 50 bytes");
        assertThat(r.next().text()).isEqualTo("two");
        assertThat(r.next().text()).isEqualTo("last");
        assertThat(r.next()).isNull();
    }

    @Test
    void invalidUtf8IsReported() throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream(new byte[] {'{', (byte) 0xC3, '}', '\n'}), 50);
        assertThat(r.next().problem()).contains("UTF-8");
    }
}
