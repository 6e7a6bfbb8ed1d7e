package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import java.time.Duration;
import java.util.List;

/**
 * What one planning pass decided.
 *
 * @param actions       writes to make, in order
 * @param status        the plan's complete new status
 * @param events        plan-level events (node events ride on their actions)
 * @param requeueAfter  when to look again even if nothing changes (a timeout, soak end, window opening), or null
 * @param waveDurations durations of waves that completed, for the metrics
 * @param released      true when the plan holds no node, cordons none and keeps no outcome (deletion may finish)
 */
public record Decision(List<NodeAction> actions, LiveUpdateStatus status, List<PlanEvent> events,
        Duration requeueAfter, List<Duration> waveDurations, boolean released) {
}
