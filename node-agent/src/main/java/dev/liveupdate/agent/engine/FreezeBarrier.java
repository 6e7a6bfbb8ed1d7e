package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Subscriber;
import dev.liveupdate.agent.handoff.WorkloadSubscribers;
import dev.liveupdate.api.v1alpha1.ApiDurations;
import dev.liveupdate.api.v1alpha1.FreezePolicy;
import dev.liveupdate.api.v1alpha1.FreezeTimeoutAction;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.client.protocol.Notice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The freeze before reboot(KEXEC): every workload subscribed on the socket is told "freeze" with a deadline, and the
 * agent waits until each acknowledged, went away (a closed connection has nothing left to pause), or the deadline
 * passed. The plan's {@code strategy.freeze.onTimeout} says whether a miss aborts this node's reboot. Runs on the
 * engine thread; acks arrive on the connection threads through {@link WorkloadSubscribers}.
 */
final class FreezeBarrier {
    private static final Logger LOG = Logger.getLogger(FreezeBarrier.class.getName());
    static final String TIMEOUT_REASON = "FreezeTimeout";

    enum Outcome { NO_SUBSCRIBERS, ALL_ACKED, TIMED_OUT }

    /**
     * @param id      the freeze notice's id (acks name it)
     * @param told    how many subscribers were told
     * @param missing who neither acknowledged nor went away by the deadline
     */
    record Result(long id, Outcome outcome, Instant startedAt, long millis, int told, List<String> missing, FreezeTimeoutAction onTimeout,
                  Duration timeout) {
        boolean abort() {
            return outcome == Outcome.TIMED_OUT && onTimeout == FreezeTimeoutAction.Abort;
        }

        /** What status.blackout.freezeResult says. */
        String summary() {
            return switch (outcome) {
                case NO_SUBSCRIBERS -> "no workload subscribed";
                case ALL_ACKED -> "all " + told + " subscriber(s) acknowledged or went away";
                case TIMED_OUT -> "deadline " + Durations.human(timeout.toMillis()) + " passed without an ack from " + String.join(", ", missing)
                        + " (onTimeout " + onTimeout + ")";
            };
        }
    }

    private final WorkloadSubscribers subscribers;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();

    FreezeBarrier(WorkloadSubscribers subscribers, Clock clock) {
        this.subscribers = subscribers;
        this.clock = clock;
    }

    /** The instruction's freeze policy, defaults (10s, Abort) for what it leaves out. */
    Result freeze(NodeInstruction i) {
        FreezePolicy p = i.getFreeze();
        Duration timeout = ApiDurations.parse(p == null ? null : p.getTimeout(), ApiDurations.parse(FreezePolicy.DEFAULT_TIMEOUT, null));
        FreezeTimeoutAction onTimeout = p == null || p.getOnTimeout() == null ? FreezeTimeoutAction.Abort : p.getOnTimeout();
        return freeze(timeout, onTimeout, i.getPlan().getName(), i.getKernel() == null ? null : i.getKernel().getRelease());
    }

    Result freeze(Duration timeout, FreezeTimeoutAction onTimeout, String plan, String release) {
        long id = ids.incrementAndGet();
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        List<Subscriber> told = subscribers.current();
        if (told.isEmpty()) {
            return new Result(id, Outcome.NO_SUBSCRIBERS, startedAt, 0, 0, List.of(), onTimeout, timeout);
        }
        Notice notice = Notice.freeze(id, timeout.toMillis(), Times.format(startedAt.plus(timeout)), plan, release);
        for (Subscriber s : told) {
            s.send(notice); // one that cannot be told is gone: remove() already ran or runs when its thread sees the EOF
        }
        List<String> missing = new ArrayList<>();
        try {
            subscribers.awaitAcks(told, id, start + timeout.toNanos()).forEach(s -> missing.add(s.who()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The agent is stopping: counts as a missed deadline, so Abort never kexecs half-frozen.
            told.forEach(s -> missing.add(s.who()));
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        Result r = new Result(id, missing.isEmpty() ? Outcome.ALL_ACKED : Outcome.TIMED_OUT, startedAt, millis, told.size(), missing, onTimeout,
                timeout);
        LOG.info(() -> "freeze " + id + " for plan " + plan + ": " + r.summary() + " after " + millis + " ms");
        return r;
    }

    /** The reboot of a freeze did not happen: the subscribers carry on in this kernel. */
    void thaw(Result r, String reason, String message) {
        if (r.outcome() != Outcome.NO_SUBSCRIBERS) {
            subscribers.broadcast(Notice.thawed(r.id(), reason, message));
        }
    }
}
