package org.voltkeep.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionRecord;

/** The recorder with real files; file work runs on the calling thread so results are visible at once. */
class SessionRecorderTest {
    @TempDir
    Path data;
    /** The sessions store, where a device keeps it: a directory of the data directory. */
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private ChargerStatus previous = TestStatus.idle(0).build();

    @BeforeEach
    void sessionsDir() {
        dir = data.resolve("sessions");
    }

    private SessionRecorder recorder() {
        return new SessionRecorder(dir, 20, clock::get, Runnable::run);
    }

    private void feed(SessionRecorder r, TestStatus s) {
        ChargerStatus current = s.build();
        r.statusChanged(previous, current);
        previous = current;
        clock.addAndGet(100);
    }

    private List<Json.Obj> lines() throws Exception {
        Path f = dir.resolve(SessionStore.RECORDS);
        if (!Files.exists(f)) {
            return List.of();
        }
        return Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(Json::parseObject).toList();
    }

    @Test
    void oneSessionGivesOneDurableLineAndShowsInRecent() throws Exception {
        SessionRecorder r = recorder();
        feed(r, TestStatus.connected(21, 1_000, 1_000, 0));
        assertThat(r.open()).get().extracting(SessionRecord::sessionId).isEqualTo(21L);
        assertThat(Files.exists(dir.resolve(SessionStore.OPEN))).isTrue();
        feed(r, TestStatus.charging(21, 1_000, 2_000, 3, 16_000).idTag("demo"));
        feed(r, TestStatus.charging(21, 1_000, 3_000, 7, 15_000).idTag("demo"));
        feed(r, TestStatus.idle(4_000));

        assertThat(lines()).singleElement().satisfies(o -> {
            assertThat(o.integer("schemaVersion")).isEqualTo(1);
            assertThat(o.integer("sessionId")).isEqualTo(21);
            assertThat(o.integer("energyWh")).isEqualTo(7);
            assertThat(o.integer("peakCurrentMilliamps")).isEqualTo(16_000);
            assertThat(o.string("endReason")).isEqualTo(SessionRecord.EV_DISCONNECTED);
            assertThat(o.string("idTag")).isEqualTo("demo");
        });
        assertThat(r.open()).isEmpty();
        assertThat(Files.exists(dir.resolve(SessionStore.OPEN))).isFalse();
        assertThat(r.recent(5)).extracting(SessionRecord::sessionId).containsExactly(21L);
    }

    @Test
    void aKilledDomainsSessionIsContinuedByTheNextInstanceAndRecordedOnce() throws Exception {
        SessionRecorder first = recorder();
        feed(first, TestStatus.charging(30, 500, 500, 0, 0));
        feed(first, TestStatus.connected(30, 500, 600, 0)); // a state change: saved at once
        feed(first, TestStatus.charging(30, 500, 700, 5, 31_000));
        clock.addAndGet(SessionTracker.SAVE_THROTTLE_MILLIS); // let the peak reach the disk
        feed(first, TestStatus.charging(30, 500, 800, 6, 30_000));
        // the domain is killed here: no deactivate, the instance is simply dropped

        SessionRecorder second = recorder();
        assertThat(second.open()).get().extracting(SessionRecord::peakCurrentMilliamps).isEqualTo(31_000);
        feed(second, TestStatus.charging(30, 500, 5_000, 40, 10_000));
        feed(second, TestStatus.idle(6_000));

        assertThat(lines()).singleElement().satisfies(o -> {
            assertThat(o.integer("sessionId")).isEqualTo(30);
            assertThat(o.integer("startBoardMillis")).isEqualTo(500);
            assertThat(o.integer("endBoardMillis")).isEqualTo(6_000);
            assertThat(o.integer("peakCurrentMilliamps")).isEqualTo(31_000);
            assertThat(o.integer("energyWh")).isEqualTo(40);
        });

        SessionRecorder third = recorder();
        assertThat(third.recent(10)).extracting(SessionRecord::sessionId).containsExactly(30L);
        assertThat(third.open()).isEmpty();
    }

    @Test
    void aSessionThatEndedWhileTheDomainWasDownIsStillRecorded() throws Exception {
        SessionRecorder first = recorder();
        feed(first, TestStatus.charging(31, 500, 500, 2, 8_000));

        SessionRecorder second = recorder();
        feed(second, TestStatus.idle(90_000));

        assertThat(lines()).singleElement().satisfies(o -> {
            assertThat(o.integer("sessionId")).isEqualTo(31);
            assertThat(o.string("endReason")).isEqualTo(SessionRecord.UNOBSERVED);
        });
    }

    @Test
    void aGracefulStopSavesWhatTheThrottleHeldBack() throws Exception {
        SessionRecorder first = recorder();
        feed(first, TestStatus.charging(32, 500, 500, 0, 8_000));
        feed(first, TestStatus.charging(32, 500, 600, 1, 9_000)); // within the throttle period
        first.deactivate();

        assertThat(recorder().open()).get().satisfies(o -> {
            assertThat(o.energyWh()).isEqualTo(1);
            assertThat(o.peakCurrentMilliamps()).isEqualTo(9_000);
        });
    }

    @Test
    void damagedFilesDoNotStopTheRecorder() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SessionStore.OPEN), "garbage");
        Files.writeString(dir.resolve(SessionStore.RECORDS), "{broken\n");

        SessionRecorder r = recorder();
        assertThat(r.open()).isEmpty();
        assertThat(r.recent(10)).isEmpty();
        feed(r, TestStatus.idle(10));
        assertThat(Files.exists(dir.resolve(SessionStore.OPEN))).as("the damaged file is cleared").isFalse();
        feed(r, TestStatus.charging(1, 20, 20, 1, 6_000));
        feed(r, TestStatus.idle(30));

        assertThat(r.recent(10)).extracting(SessionRecord::sessionId).containsExactly(1L);
    }

    @Test
    void recentIsNewestFirstAndBounded() {
        SessionRecorder r = recorder();
        for (long id = 1; id <= 25; id++) {
            feed(r, TestStatus.charging(id, id * 100, id * 100, id, 6_000));
            feed(r, TestStatus.idle(id * 100 + 50));
        }
        assertThat(r.recent(3)).extracting(SessionRecord::sessionId).containsExactly(25L, 24L, 23L);
        assertThat(r.recent(100)).hasSize(20);
        assertThat(r.recent(0)).isEmpty();
    }
}
