package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.time.Instant;

/**
 * How one plan ended with one node; stored on the LiveUpdateNode under {@code liveupdate.dev/outcome.<plan-uid>}
 * when the plan clears its instruction, so the plan never starts that node again (invariant 6) even after another
 * plan used the node in between.
 */
public record Outcome(UpdateResult result, String reason, String message, int wave, Instant startedAt, Instant at,
        boolean rebooted) {
}
