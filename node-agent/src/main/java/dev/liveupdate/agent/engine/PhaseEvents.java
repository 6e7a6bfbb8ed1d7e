package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which phase changes become Kubernetes Events. Every phase is in the LiveUpdateNode's status already; an Event is a
 * write per node per phase on a fleet-wide rollout (the fleet-scale benchmark counted six per node update, a third of
 * all writes). So a Normal Event marks only what a person looks for in {@code kubectl describe} afterwards: the
 * disruption ({@code Rebooting}: the kexec is next) and the outcome ({@code Finished}, {@code Cancelled}). Every
 * failure is a Warning Event.
 */
final class PhaseEvents {
    private static final Set<NodePhase> NORMAL = EnumSet.of(NodePhase.Rebooting, NodePhase.Finished, NodePhase.Cancelled);

    private PhaseEvents() {
    }

    static boolean warns(NodePhase phase) {
        return phase == NodePhase.Failed;
    }

    /** Whether a change into {@code phase} is worth an Event. */
    static boolean announces(NodePhase phase) {
        return warns(phase) || NORMAL.contains(phase);
    }
}
