package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.agent.handoff.WorkloadSubscribers;
import dev.liveupdate.api.v1alpha1.FreezeTimeoutAction;
import dev.liveupdate.client.protocol.Notice;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The freeze before the kexec. Waits that must end early use a deadline of a minute: a missed wake-up shows as a
 * timed-out result, never as a slow pass. Deadlines that must pass are short and nobody acks within them at all.
 */
class FreezeBarrierTest {
    private static final Duration LONG = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final WorkloadSubscribers subscribers = new WorkloadSubscribers();
    private final FreezeBarrier barrier = new FreezeBarrier(subscribers, Clock.systemUTC());
    /** Acks and hang-ups from another thread, as connection threads send them. */
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        otherThread.shutdownNow();
    }

    private RecordingSubscriber acking(String name) {
        RecordingSubscriber[] self = new RecordingSubscriber[1];
        self[0] = new RecordingSubscriber(name, n -> {
            if (n.kind().equals(Notice.FREEZE)) {
                otherThread.execute(() -> subscribers.acked(self[0], n.id()));
            }
        });
        return self[0];
    }

    /** Acks on the engine's own thread, inside send: its ack is in before the barrier waits at all. */
    private RecordingSubscriber ackingAtOnce(String name) {
        RecordingSubscriber[] self = new RecordingSubscriber[1];
        self[0] = new RecordingSubscriber(name, n -> {
            if (n.kind().equals(Notice.FREEZE)) {
                subscribers.acked(self[0], n.id());
            }
        });
        return self[0];
    }

    private RecordingSubscriber silent(String name) {
        return new RecordingSubscriber(name, n -> { });
    }

    @Test
    void everySubscriberAcknowledgesAndTheBarrierOpensBeforeTheDeadline() {
        RecordingSubscriber a = acking("pod a");
        RecordingSubscriber b = acking("pod b");
        subscribers.add(a);
        subscribers.add(b);

        FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.ALL_ACKED);
        assertThat(r.told()).isEqualTo(2);
        assertThat(r.missing()).isEmpty();
        assertThat(r.abort()).isFalse();
        assertThat(r.millis()).isLessThan(LONG.toMillis());
        Notice freeze = a.received.get(0);
        assertThat(freeze.kind()).isEqualTo(Notice.FREEZE);
        assertThat(freeze.id()).isEqualTo(r.id());
        assertThat(freeze.timeoutMillis()).isEqualTo(LONG.toMillis());
        assertThat(freeze.text("plan")).isEqualTo("plan-1");
        assertThat(freeze.text("kernelRelease")).isEqualTo("7.3.0");
        assertThat(freeze.text("deadline")).isNotBlank();
        assertThat(b.kinds()).containsExactly(Notice.FREEZE);
    }

    @Test
    void oneLateSubscriberTimesOutAndAbortsByDefault() {
        subscribers.add(ackingAtOnce("pod a")); // never late itself, however loaded the machine
        subscribers.add(silent("pod late"));

        FreezeBarrier.Result r = barrier.freeze(SHORT, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.TIMED_OUT);
        assertThat(r.missing()).containsExactly("pod late");
        assertThat(r.abort()).isTrue();
        assertThat(r.millis()).isGreaterThanOrEqualTo(SHORT.toMillis());
        assertThat(r.summary()).contains("pod late", "onTimeout Abort", "0.20s");
    }

    @Test
    void proceedGoesOnAfterTheDeadline() {
        subscribers.add(silent("pod late"));
        FreezeBarrier.Result r = barrier.freeze(SHORT, FreezeTimeoutAction.Proceed, "plan-1", "7.3.0");
        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.TIMED_OUT);
        assertThat(r.abort()).isFalse();
        assertThat(r.summary()).contains("onTimeout Proceed");
    }

    @Test
    void anAckOfAnEarlierFreezeDoesNotCount() {
        RecordingSubscriber stale = new RecordingSubscriber("pod stale", n -> { });
        subscribers.add(stale);
        FreezeBarrier.Result first = barrier.freeze(SHORT, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
        subscribers.acked(stale, first.id()); // late, after the first freeze ended

        FreezeBarrier.Result second = barrier.freeze(SHORT, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.outcome()).isEqualTo(FreezeBarrier.Outcome.TIMED_OUT);
    }

    @Test
    void noSubscribersNoWait() {
        FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.NO_SUBSCRIBERS);
        assertThat(r.millis()).isZero();
        assertThat(r.abort()).isFalse();
        barrier.thaw(r, "FreezeTimeout", "nothing to thaw"); // tells nobody, throws nothing
    }

    @Test
    void aSubscriberThatHangsUpIsNotWaitedFor() {
        RecordingSubscriber[] self = new RecordingSubscriber[1];
        self[0] = new RecordingSubscriber("pod gone", n -> otherThread.execute(() -> subscribers.remove(self[0])));
        subscribers.add(self[0]);
        subscribers.add(acking("pod a"));

        FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.ALL_ACKED);
        assertThat(r.missing()).isEmpty();
        assertThat(r.millis()).as("the hang-up woke the barrier; it did not sit out the deadline").isLessThan(LONG.toMillis());
        assertThat(subscribers.current()).extracting(s -> s.who()).containsExactly("pod a");
    }

    @Test
    void thawTellsTheSubscribersWhichFreezeEndedAndWhy() {
        RecordingSubscriber late = silent("pod late");
        subscribers.add(late);
        FreezeBarrier.Result r = barrier.freeze(SHORT, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

        barrier.thaw(r, FreezeBarrier.TIMEOUT_REASON, "not rebooting");

        assertThat(late.kinds()).containsExactly(Notice.FREEZE, Notice.THAWED);
        Notice thawed = late.received.get(1);
        assertThat(thawed.id()).isEqualTo(r.id());
        assertThat(thawed.text("reason")).isEqualTo("FreezeTimeout");
        assertThat(thawed.text("message")).isEqualTo("not rebooting");
    }

    @Test
    void resumedReachesCurrentSubscribersOnceAndIsKeptForLaterOnes() {
        RecordingSubscriber early = silent("pod early");
        subscribers.add(early);
        Notice resumed = Notice.resumed("boot-2", "boot-1", "plan-1", "7.3.0");
        subscribers.resumed(resumed);
        subscribers.resumed(Notice.resumed("boot-2", "boot-1", "plan-1", "7.3.0")); // every restore report repeats it

        // A later subscriber gets it to send after its subscribe reply.
        Notice forLater = subscribers.add(silent("pod later"));

        assertThat(early.kinds()).containsExactly(Notice.RESUMED);
        assertThat(forLater.kind()).isEqualTo(Notice.RESUMED);
        assertThat(forLater.text("bootID")).isEqualTo("boot-2");
        assertThat(forLater.text("bootIDBefore")).isEqualTo("boot-1");
    }
}
