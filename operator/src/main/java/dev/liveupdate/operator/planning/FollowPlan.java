package dev.liveupdate.operator.planning;

import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A plan that keeps joining nodes at its target ({@code nodeJoin: Follow}), as {@link FollowPrecedence} compares it
 * with the others: its rank (release, age, name) and whether it would take a given free node.
 */
public record FollowPlan(String name, String uid, Instant createdAt, String kernelRelease, LabelSelector selector,
        boolean allowDowngrade) {

    /**
     * The plan as a Follow plan, or empty when it takes no joining node: another nodeJoin, being deleted, cancelled,
     * or a spec it cannot act on (no release, a malformed selector).
     */
    public static Optional<FollowPlan> of(String name, String uid, String creationTimestamp, boolean deleting,
            LiveUpdateSpec spec) {
        if (deleting || spec == null || spec.getNodeJoin() != NodeJoinPolicy.Follow
                || Boolean.TRUE.equals(spec.getCancel()) || spec.getKernel() == null
                || spec.getKernel().getRelease() == null || spec.getKernel().getRelease().isBlank()
                || SelectorMatcher.problem(spec.getNodeSelector()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new FollowPlan(name, uid, parse(creationTimestamp), spec.getKernel().getRelease(),
                spec.getNodeSelector(), spec.getStrategy() != null
                        && Boolean.TRUE.equals(spec.getStrategy().getAllowDowngrade())));
    }

    /**
     * Whether this plan would take the free node: it selects it, has not taken it before, the node is not at its
     * release already, and it is no downgrade the plan is not allowed.
     */
    boolean wouldTake(NodeView n, LunView lun) {
        if (lun == null || !SelectorMatcher.matches(selector, n.labels()) || lun.outcome(uid) != null
                || kernelRelease.equals(n.kernelRelease())) {
            return false;
        }
        AgentReport a = lun.agent();
        if (a != null && uid.equals(a.lastUpdatePlanUid()) && a.lastUpdateResult() != UpdateResult.Cancelled) {
            return false; // handled before (FreeNodeClassifier)
        }
        return allowDowngrade || !KernelReleaseOrder.newer(n.kernelRelease(), kernelRelease);
    }

    private static Instant parse(String time) {
        try {
            return time == null || time.isBlank() ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
