package dev.liveupdate.operator.agents;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a node's agent may be restarted now. LUO sessions live as long as the agent's file descriptors: an agent
 * that ends between PREPARE and FINISH takes the node's sessions with it (before the kexec the node then prepares again,
 * a bounded number of times, from the files workloads hand over again; after it the unreclaimed files are lost), and
 * one that ends while a failed restore is held ends the files the workloads were still to take back. So an agent is
 * replaced only on a node no plan holds and where the agent reports nothing in flight:
 * <ul>
 *   <li>no LiveUpdateNode, or one the agent never reported on: the agent holds nothing yet;</li>
 *   <li>no instruction (a plan holding the node, at any step, keeps its agent);</li>
 *   <li>phase Idle, Finished, Cancelled or Failed (never Preparing, Prepared, Rebooting, Restoring or Updated: an
 *       agent keeps serving a restore after its instruction is cleared);</li>
 *   <li>no failed restore held (condition RestoreHeld, reason UnreleasedRestore) and no session held open.</li>
 * </ul>
 * Files workloads registered outside any plan (unmanaged registrations) do not hold an agent back: they never reached a
 * kernel session, and workloads register them again after any agent restart (docs/workload-socket.md).
 */
public final class NodeSafety {
    static final String UNRELEASED_RESTORE = "UnreleasedRestore";
    private static final Set<NodePhase> SETTLED = EnumSet.of(NodePhase.Idle, NodePhase.Finished, NodePhase.Cancelled,
            NodePhase.Failed);

    private NodeSafety() {
    }

    /** Why the agent on {@code node} must not be restarted now; empty when it may. */
    public static Optional<String> whyWait(String node, AgentNodeReport r) {
        if (r == null || r.instructionPlan() == null && r.phase() == null) {
            return Optional.empty();
        }
        if (r.instructionPlan() != null) {
            String state = r.phase() != null && r.instructionPlan().equals(r.phasePlan()) ? r.phase().toString()
                    : "told " + r.step();
            return Optional.of(node + " is " + state + " for plan " + r.instructionPlan());
        }
        if (!SETTLED.contains(r.phase())) {
            return Optional.of(node + " is " + r.phase() + (r.phasePlan() == null ? "" : " for plan " + r.phasePlan())
                    + " (its agent still serves that update)");
        }
        if (r.restoreHeld() || UNRELEASED_RESTORE.equals(r.reason())) {
            return Optional.of(node + " keeps the files of a failed restore"
                    + (r.phasePlan() == null ? "" : " of plan " + r.phasePlan())
                    + " until a person releases them (annotation " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + ")");
        }
        if (r.heldSessions() != null && !r.heldSessions().isEmpty()) {
            return Optional.of(node + "'s agent holds sessions " + String.join(", ", r.heldSessions()));
        }
        return Optional.empty();
    }
}
