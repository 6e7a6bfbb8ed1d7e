package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.time.Instant;

/**
 * How one plan ended with one node; stored on the LiveUpdateNode under {@code liveupdate.dev/outcome.<plan-uid>}
 * when the plan clears its instruction, so the plan never starts that node again (invariant 6) even after another
 * plan used the node in between.
 *
 * @param blackoutMillis the blackout the agent reported for a Finished node (null: none reported, or not Finished);
 *                       kept so the blackout budget still sees it after the agent reported on another plan
 */
public record Outcome(UpdateResult result, String reason, String message, int wave, Instant startedAt, Instant at,
        boolean rebooted, Long blackoutMillis) {

    public Outcome(UpdateResult result, String reason, String message, int wave, Instant startedAt, Instant at,
            boolean rebooted) {
        this(result, reason, message, wave, startedAt, at, rebooted, null);
    }
}
