package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Owns the status the agent reports: the engine changes it, this class publishes a copy whenever
 * something other than the report time changed, and emits an Event on each phase change.
 */
final class StatusReporter {
    private static final Logger LOG = Logger.getLogger(StatusReporter.class.getName());

    private final StatusSink sink;
    private final EventSink events;
    private final Clock clock;
    private LiveUpdateNodeStatus status;
    private String lastPublished;

    StatusReporter(StatusSink sink, EventSink events, Clock clock, LiveUpdateNodeStatus initial) {
        this.sink = sink;
        this.events = events;
        this.clock = clock;
        this.status = initial == null ? new LiveUpdateNodeStatus() : copy(initial);
    }

    LiveUpdateNodeStatus status() {
        return status;
    }

    /** Sets phase, plan, reason and message together; an Event when the phase or reason changes and {@link PhaseEvents} says so. */
    void phase(PlanReference plan, NodePhase phase, String reason, String message) {
        boolean changed = status.getPhase() != phase || !Objects.equals(status.getReason(), reason) || !samePlan(status.getPlan(), plan);
        if (!StickyPhase.samePlanUid(status.getPlan(), plan)) {
            status.setPrepareRestarts(null); // counted per plan uid (PrepareRestarts)
        }
        status.setPhase(phase);
        status.setPlan(plan);
        status.setReason(reason);
        status.setMessage(message);
        if (changed) {
            boolean warning = PhaseEvents.warns(phase);
            LOG.info(() -> "phase " + phase + (reason == null ? "" : " (" + reason + ")") + (plan == null ? "" : " plan " + plan.getName()) + ": " + message);
            if (PhaseEvents.announces(phase)) {
                events.event(warning, reason != null && warning ? reason : phase.name(), message == null ? phase.name() : message);
            }
        }
    }

    void message(String message) {
        status.setMessage(message);
    }

    /** Standard condition semantics: lastTransitionTime moves only when the status value changes. */
    void condition(String type, boolean value, String reason, String message) {
        List<Condition> conditions = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
        String v = value ? "True" : "False";
        Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = existing != null && v.equals(existing.getStatus()) ? existing.getLastTransitionTime() : Times.now(clock);
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new ConditionBuilder().withType(type).withStatus(v).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).build());
        conditions.sort((a, b) -> a.getType().compareTo(b.getType()));
        status.setConditions(conditions);
    }

    /** Publishes when the content changed since the last publish. */
    void flush() {
        String now = contentOf(status);
        if (now.equals(lastPublished)) {
            return;
        }
        status.setLastReportTime(Times.now(clock));
        lastPublished = now;
        sink.publish(copy(status));
    }

    /** Publishes synchronously; throws when the API server did not acknowledge. */
    void flushAndWait() throws Exception {
        status.setLastReportTime(Times.now(clock));
        sink.publishAndWait(copy(status));
        lastPublished = contentOf(status);
    }

    private static String contentOf(LiveUpdateNodeStatus s) {
        String saved = s.getLastReportTime();
        s.setLastReportTime(null);
        String json = Serialization.asJson(s);
        s.setLastReportTime(saved);
        return json;
    }

    static LiveUpdateNodeStatus copy(LiveUpdateNodeStatus s) {
        return Serialization.unmarshal(Serialization.asJson(s), LiveUpdateNodeStatus.class);
    }

    static boolean samePlan(PlanReference a, PlanReference b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getUid(), b.getUid()) && Objects.equals(a.getGeneration(), b.getGeneration());
    }
}
