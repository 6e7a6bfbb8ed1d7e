package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * When a plan halts, nodes already past their reboot still go on by themselves (restore, finish, the workload checks
 * its bytes) and nodes still preparing are being cancelled. A summary printed at that moment shows them half-way
 * ("Rebooting", "1 of 3 workloads verified") although they finish a moment later. This says which nodes are still in
 * flight, and gives them a bounded time to settle before the summary is printed.
 */
final class InFlightNodes {
    /** How long a halted plan's nodes get to settle; a restore timeout is the plan's business, not the summary's. */
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    private final Duration timeout;
    private Instant deadline;

    InFlightNodes(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The nodes still moving in this snapshot, as "node-1 (Restoring)": the agent is between steps (Preparing,
     * Rebooting, Restoring; Updated while told Finished), or the node rebooted and its workload has not yet said
     * whether its bytes came back.
     */
    static List<String> of(RolloutSnapshot s, Map<String, SimulatedNode> nodes) {
        List<String> moving = new ArrayList<>();
        for (SimulatedNode node : nodes.values()) {
            LiveUpdateNode lun = s.lun().get(node.name());
            NodePhase phase = lun == null || lun.getStatus() == null ? null : lun.getStatus().getPhase();
            boolean toldFinish = lun != null && lun.getSpec() != null && lun.getSpec().getInstruction() != null
                    && lun.getSpec().getInstruction().getStep() == dev.liveupdate.api.v1alpha1.NodeStep.Finished;
            WorkloadState w = s.workloads().get(node.name());
            boolean agentMoving = phase == NodePhase.Preparing || phase == NodePhase.Rebooting || phase == NodePhase.Restoring
                    || phase == NodePhase.Updated && toldFinish;
            boolean workloadChecking = node.boots() > 1 && w != null && w != WorkloadState.VERIFIED && !w.failed();
            if (agentMoving || workloadChecking) {
                moving.add(node.name() + " (" + (phase == null ? "-" : phase.name()) + (workloadChecking ? ", workload " + w.label() : "") + ")");
            }
        }
        return moving;
    }

    /** True once no node is in flight, or the settle time (counted from the first call) is over. */
    boolean settled(RolloutSnapshot s, Map<String, SimulatedNode> nodes, Instant now) {
        if (deadline == null) {
            deadline = now.plus(timeout);
        }
        return of(s, nodes).isEmpty() || !now.isBefore(deadline);
    }
}
