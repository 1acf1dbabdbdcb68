package org.voltkeep.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.voltkeep.charging.Fault;
import org.voltkeep.sessions.SessionRecord;
import org.voltkeep.sessions.internal.SessionTracker.Action;
import org.voltkeep.sessions.internal.SessionTracker.Append;
import org.voltkeep.sessions.internal.SessionTracker.DeleteOpen;
import org.voltkeep.sessions.internal.SessionTracker.SaveOpen;

class SessionTrackerTest {
    private final AtomicLong clock = new AtomicLong(50_000);
    private SessionTracker tracker = new SessionTracker(Optional.empty(), false, Optional.empty(), clock::get);

    private static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aSessionIsOpenedSavedTrackedAndAppendedWhenItsIdGoesBackToZero() {
        assertThat(tracker.onStatus(TestStatus.idle(900).build())).isEmpty();

        List<Action> first = tracker.onStatus(TestStatus.connected(7, 1_000, 1_000, 0).build());
        assertThat(only(first, SaveOpen.class)).singleElement()
                .satisfies(s -> assertThat(s.session().sessionId()).isEqualTo(7));

        tracker.onStatus(TestStatus.charging(7, 1_000, 2_000, 1, 15_900).build());
        tracker.onStatus(TestStatus.charging(7, 1_000, 3_000, 4, 16_100).build());
        tracker.onStatus(TestStatus.charging(7, 1_000, 4_000, 9, 15_800).build());
        tracker.onStatus(TestStatus.connected(7, 1_000, 5_000, 9).build());
        TestStatus unplugged = TestStatus.idle(6_000);
        List<Action> end = tracker.onStatus(unplugged.build());

        assertThat(end).hasSize(2);
        assertThat(end.get(0)).isInstanceOf(Append.class);
        assertThat(end.get(1)).isInstanceOf(DeleteOpen.class);
        SessionRecord r = ((Append) end.get(0)).record();
        assertThat(r.sessionId()).isEqualTo(7);
        assertThat(r.startBoardMillis()).isEqualTo(1_000);
        assertThat(r.endBoardMillis()).isEqualTo(unplugged.boardMillis);
        assertThat(r.energyWh()).isEqualTo(9);
        assertThat(r.peakCurrentMilliamps()).isEqualTo(16_100);
        assertThat(r.endReason()).isEqualTo(SessionRecord.EV_DISCONNECTED);
        assertThat(r.faults()).isEmpty();
        assertThat(tracker.open()).isEmpty();
    }

    @Test
    void aFinishedRecordCarriesTheIdTagSafetyReportedThoughTheUnplugStatusHasNone() {
        List<Action> plugged = tracker.onStatus(TestStatus.connected(8, 1_000, 1_000, 0).build());
        assertThat(only(plugged, SaveOpen.class)).singleElement()
                .satisfies(s -> assertThat(s.session().idTag()).as("not authorized yet").isEmpty());

        clock.addAndGet(10);
        List<Action> authorized = tracker.onStatus(TestStatus.connected(8, 1_000, 1_010, 0).idTag("RFID-0008").build());
        assertThat(only(authorized, SaveOpen.class)).as("the tag is saved without waiting for the throttle")
                .singleElement().satisfies(s -> assertThat(s.session().idTag()).isEqualTo("RFID-0008"));
        tracker.onStatus(TestStatus.charging(8, 1_000, 2_000, 5, 16_000).idTag("RFID-0008").build());
        tracker.onStatus(TestStatus.connected(8, 1_000, 3_000, 5).build());

        TestStatus unplugged = TestStatus.idle(4_000);
        assertThat(unplugged.build().idTag()).isEmpty();
        SessionRecord r = only(tracker.onStatus(unplugged.build()), Append.class).get(0).record();
        assertThat(r.sessionId()).isEqualTo(8);
        assertThat(r.idTag()).isEqualTo("RFID-0008");
        assertThat(r.endReason()).isEqualTo(SessionRecord.EV_DISCONNECTED);
    }

    @Test
    void valueChangesAreSavedAtMostOncePerSecondButStateChangesAtOnce() {
        tracker.onStatus(TestStatus.charging(3, 100, 100, 0, 10_000).build());

        clock.addAndGet(300);
        assertThat(only(tracker.onStatus(TestStatus.charging(3, 100, 400, 1, 10_000).build()), SaveOpen.class)).isEmpty();
        clock.addAndGet(300);
        assertThat(only(tracker.onStatus(TestStatus.charging(3, 100, 700, 2, 10_000).build()), SaveOpen.class)).isEmpty();
        clock.addAndGet(SessionTracker.SAVE_THROTTLE_MILLIS - 600);
        List<SaveOpen> saved = only(tracker.onStatus(TestStatus.charging(3, 100, 1_100, 2, 10_000).build()), SaveOpen.class);
        assertThat(saved).singleElement().satisfies(s -> assertThat(s.session().energyWh()).isEqualTo(2));

        clock.addAndGet(10);
        assertThat(only(tracker.onStatus(TestStatus.connected(3, 100, 1_110, 2).build()), SaveOpen.class))
                .as("a state change is saved without waiting for the throttle").hasSize(1);
    }

    @Test
    void aPeakRisingByAWholeAmpIsSavedAtOnceBecauseACrashWouldLoseIt() {
        tracker.onStatus(TestStatus.charging(3, 100, 100, 0, 6_000).build());
        clock.addAndGet(10);
        assertThat(only(tracker.onStatus(TestStatus.charging(3, 100, 110, 0, 6_500).build()), SaveOpen.class))
                .as("half an amp more waits for the throttle").isEmpty();
        clock.addAndGet(10);
        assertThat(only(tracker.onStatus(TestStatus.charging(3, 100, 120, 0, 16_000).build()), SaveOpen.class))
                .singleElement().satisfies(s -> assertThat(s.session().peakCurrentMilliamps()).isEqualTo(16_000));
    }

    @Test
    void heldBackChangesAreSavedOnFlush() {
        tracker.onStatus(TestStatus.charging(3, 100, 100, 0, 10_000).build());
        assertThat(tracker.flush()).isEmpty();
        clock.addAndGet(10);
        tracker.onStatus(TestStatus.charging(3, 100, 110, 1, 10_000).build());

        assertThat(only(tracker.flush(), SaveOpen.class)).singleElement()
                .satisfies(s -> assertThat(s.session().energyWh()).isEqualTo(1));
    }

    @Test
    void endReasons() {
        SessionRecord fault = run(TestStatus.charging(4, 100, 200, 1, 10_000).fault(Fault.RCD_TRIP));
        assertThat(fault.endReason()).isEqualTo(SessionRecord.FAULT);
        assertThat(fault.faults()).containsExactly(Fault.RCD_TRIP.name());

        SessionRecord stopped = run(TestStatus.connected(4, 100, 200, 1).stopRequested());
        assertThat(stopped.endReason()).isEqualTo(SessionRecord.STOP_REQUESTED);

        SessionRecord resumed = run(TestStatus.connected(4, 100, 200, 1).stopRequested(),
                TestStatus.charging(4, 100, 300, 2, 10_000));
        assertThat(resumed.endReason()).as("charging resumed after the stop").isEqualTo(SessionRecord.EV_DISCONNECTED);
    }

    /** Starts session 4, feeds the given statuses, unplugs; returns the record. */
    private SessionRecord run(TestStatus... during) {
        tracker = new SessionTracker(Optional.empty(), false, Optional.empty(), clock::get);
        tracker.onStatus(TestStatus.charging(4, 100, 100, 0, 10_000).build());
        for (TestStatus s : during) {
            tracker.onStatus(s.build());
        }
        return only(tracker.onStatus(TestStatus.idle(900).build()), Append.class).get(0).record();
    }

    @Test
    void aNewSessionIdEndsTheOldSessionAndOpensTheNew() {
        tracker.onStatus(TestStatus.connected(8, 100, 100, 0).build());
        List<Action> actions = tracker.onStatus(TestStatus.connected(9, 500, 500, 0).build());

        assertThat(only(actions, Append.class)).singleElement()
                .satisfies(a -> assertThat(a.record().endReason()).isEqualTo(SessionRecord.SESSION_REPLACED));
        assertThat(only(actions, SaveOpen.class)).singleElement()
                .satisfies(s -> assertThat(s.session().sessionId()).isEqualTo(9));
        assertThat(only(actions, DeleteOpen.class)).isEmpty();
    }

    @Test
    void aReusedIdWithAnotherStartIsAnotherSession() {
        tracker.onStatus(TestStatus.connected(1, 100, 100, 0).build());
        List<Action> actions = tracker.onStatus(TestStatus.connected(1, 40, 50, 0).build());
        assertThat(only(actions, Append.class)).hasSize(1);
        assertThat(tracker.open()).get().extracting(OpenSession::startBoardMillis).isEqualTo(40L);
    }

    @Test
    void aRecoveredSessionContinuesWhenSafetyStillReportsIt() {
        OpenSession before = OpenSession.start(TestStatus.charging(11, 100, 5_000, 20, 31_500).build());
        tracker = new SessionTracker(Optional.of(before), true, Optional.empty(), clock::get);
        assertThat(tracker.open()).contains(before);

        List<Action> a = tracker.onStatus(TestStatus.charging(11, 100, 9_000, 25, 12_000).build());
        assertThat(only(a, Append.class)).isEmpty();
        List<Action> end = tracker.onStatus(TestStatus.idle(10_000).build());

        SessionRecord r = only(end, Append.class).get(0).record();
        assertThat(r.peakCurrentMilliamps()).isEqualTo(before.peakCurrentMilliamps());
        assertThat(r.energyWh()).isEqualTo(25);
        assertThat(r.startBoardMillis()).isEqualTo(100);
        assertThat(only(end, DeleteOpen.class)).hasSize(1);
    }

    @Test
    void aRecoveredSessionThatEndedMeanwhileIsRecordedAsUnobserved() {
        OpenSession before = OpenSession.start(TestStatus.charging(11, 100, 5_000, 20, 31_500).build());
        tracker = new SessionTracker(Optional.of(before), true, Optional.empty(), clock::get);

        List<Action> a = tracker.onStatus(TestStatus.idle(99_000).build());

        SessionRecord r = only(a, Append.class).get(0).record();
        assertThat(r.endReason()).isEqualTo(SessionRecord.UNOBSERVED);
        assertThat(r.endBoardMillis()).isEqualTo(before.lastBoardMillis());
        assertThat(r.energyWh()).isEqualTo(before.energyWh());
        assertThat(a.get(a.size() - 1)).isInstanceOf(DeleteOpen.class);
    }

    @Test
    void aRecoveredSessionAlreadyRecordedIsNotRecordedTwice() {
        OpenSession before = OpenSession.start(TestStatus.charging(11, 100, 5_000, 20, 31_500).build());
        SessionRecord written = before.ended(5_100, SessionRecord.EV_DISCONNECTED);
        tracker = new SessionTracker(Optional.of(before), true, Optional.of(written), clock::get);

        List<Action> a = tracker.onStatus(TestStatus.idle(6_000).build());

        assertThat(only(a, Append.class)).isEmpty();
        assertThat(a).singleElement().isInstanceOf(DeleteOpen.class);
    }

    @Test
    void anUnreadableSavedFileIsRemovedOnceNoSessionRuns() {
        tracker = new SessionTracker(Optional.empty(), true, Optional.empty(), clock::get);
        assertThat(tracker.onStatus(TestStatus.idle(1).build())).singleElement().isInstanceOf(DeleteOpen.class);
        assertThat(tracker.onStatus(TestStatus.idle(2).build())).isEmpty();
    }
}
