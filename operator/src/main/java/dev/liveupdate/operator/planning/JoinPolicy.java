package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether a free node that the plan has never taken may be started by it (safety invariant 9): never a control-plane
 * node unless the admin allows it (operator setting), never when it runs a
 * newer kernel than the plan's (unless {@code strategy.allowDowngrade}), and under {@code nodeJoin: Frozen} (the
 * default) never when it joined after the plan started (its Node was created later: a new or rebuilt node) or when
 * the plan already reached a terminal phase. A plan kept in git therefore never moves a node that joins the cluster
 * later, and two plans never take a node back and forth between their releases. Under {@code Follow}, when other
 * Follow plans would take the node too, only the first by {@link FollowPrecedence} does.
 */
final class JoinPolicy {
    private final PassContext pass;
    private final Instant startedAt;
    private final boolean finished;

    JoinPolicy(PassContext pass) {
        this.pass = pass;
        LiveUpdateStatus previous = pass.plan.previous();
        this.startedAt = previous == null ? null : parse(previous.getStartTime());
        PlanPhase phase = previous == null ? null : previous.getPhase();
        this.finished = phase == PlanPhase.Succeeded || phase == PlanPhase.Failed && pass.settings.valid();
    }

    /** Why the plan leaves this node alone (a skip note with its reason), or empty when it may take it. */
    Optional<String> leaveAlone(NodeView n, LunView lun) {
        PlanSettings s = pass.settings;
        if (!s.controlPlaneAllowed() && controlPlane(n)) {
            return Optional.of(Reasons.CONTROL_PLANE + ": a control-plane node; the operator takes those only when the"
                    + " admin allows it (chart value operator.allowControlPlaneNodes)");
        }
        if (!s.allowDowngrade() && KernelReleaseOrder.newer(n.kernelRelease(), s.kernelRelease())) {
            return Optional.of(Reasons.NEWER_KERNEL + ": runs " + n.kernelRelease() + ", newer than the plan's "
                    + s.kernelRelease() + " (set strategy.allowDowngrade to move it back)");
        }
        if (s.nodeJoin() == NodeJoinPolicy.Follow) {
            return s.followPrecedence().before(pass.uid, n, lun).map(first -> Reasons.FOLLOW_PRECEDENCE + ": plan "
                    + first.name() + " (release " + first.kernelRelease() + ") takes it first: among nodeJoin Follow"
                    + " plans that would take a node, the newest release wins, then the oldest plan, then the name");
        }
        if (startedAt != null && n.createdAt() != null && n.createdAt().isAfter(startedAt)) {
            return Optional.of(Reasons.JOINED_AFTER_START + ": Node created " + n.createdAt() + ", after the plan"
                    + " started (" + startedAt + "); nodeJoin Frozen leaves it alone (Follow keeps joining nodes at"
                    + " the target)");
        }
        if (finished) {
            return Optional.of(Reasons.JOINED_AFTER_START + ": matched after the plan finished; nodeJoin Frozen"
                    + " leaves it alone (Follow keeps joining nodes at the target)");
        }
        return Optional.empty();
    }

    private static boolean controlPlane(NodeView n) {
        return n.labels() != null && (n.labels().containsKey("node-role.kubernetes.io/control-plane")
                || n.labels().containsKey("node-role.kubernetes.io/master"));
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
