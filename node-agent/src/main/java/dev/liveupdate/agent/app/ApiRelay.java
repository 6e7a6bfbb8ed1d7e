package dev.liveupdate.agent.app;

import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Stands in for the API server while the agent restores before it has a client (restore first, docs/node-agent.md):
 * the newest status and the first events wait here and go out, in order, once {@link #attach} connects the real
 * sinks. Until then no plan can be confirmed, so nothing that needs the API server's word (prepare, kexec) can happen.
 */
final class ApiRelay implements StatusSink, EventSink, PlanAuthority {
    private static final Logger LOG = Logger.getLogger(ApiRelay.class.getName());
    /** Events kept while detached; a restore emits a handful, more means something loops. */
    static final int MAX_PENDING_EVENTS = 64;
    private static final long WAIT_SECONDS = 30;

    private record Event(boolean warning, String reason, String message) {
    }

    private final CountDownLatch attached = new CountDownLatch(1);
    private final Deque<Event> events = new ArrayDeque<>();
    private LiveUpdateNodeStatus pendingStatus;
    private int droppedEvents;
    private volatile StatusSink statusTarget;
    private EventSink eventTarget;
    private volatile PlanAuthority planTarget;

    /**
     * Connects the real sinks and hands them what waited (the events in order, then the newest status), under the lock
     * so that no newer status or event can overtake them.
     */
    synchronized void attach(StatusSink status, EventSink eventSink, PlanAuthority plans) {
        statusTarget = status;
        eventTarget = eventSink;
        planTarget = plans;
        events.forEach(e -> eventSink.event(e.warning(), e.reason(), e.message()));
        events.clear();
        if (droppedEvents > 0) {
            LOG.warning(droppedEvents + " events of the start before the API server were dropped (more than " + MAX_PENDING_EVENTS + ")");
        }
        if (pendingStatus != null) {
            status.publish(pendingStatus);
            pendingStatus = null;
        }
        attached.countDown();
    }

    boolean isAttached() {
        return statusTarget != null;
    }

    @Override
    public synchronized void publish(LiveUpdateNodeStatus status) {
        if (statusTarget == null) {
            pendingStatus = status;
        } else {
            statusTarget.publish(status);
        }
    }

    /** Waits (bounded) for the API server: a status that must be acknowledged cannot be acknowledged by nobody. */
    @Override
    public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
        if (!attached.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no connection to the API server yet; the status write was not acknowledged");
        }
        statusTarget.publishAndWait(status);
    }

    @Override
    public synchronized void event(boolean warning, String reason, String message) {
        if (eventTarget != null) {
            eventTarget.event(warning, reason, message);
        } else if (events.size() < MAX_PENDING_EVENTS) {
            events.add(new Event(warning, reason, message));
        } else {
            droppedEvents++;
        }
    }

    @Override
    public Answer confirm(NodeInstruction instruction) {
        PlanAuthority target = planTarget;
        return target == null ? Answer.unconfirmed("the agent has not reached the API server yet") : target.confirm(instruction);
    }
}
