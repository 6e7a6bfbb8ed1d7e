package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.NodeCounts;
import dev.liveupdate.api.v1alpha1.PlanBlackout;
import java.util.List;

/** Everything status shows about one plan, gathered from the API (the JSON of -o json is this record). */
public record PlanReport(String plan, String uid, String phase, String targetPhase, String kernel, boolean paused,
        boolean cancel, String progress, Integer currentWave, String startTime, String completionTime, String message,
        NodeCounts counts, List<Hold> holds, List<FailedNode> failedNodes, Integer failedNodesOmitted,
        PlanBlackout blackout, List<NodeRow> nodes) {

    /** A plan a person must look at, or that ended short of its target: exit code 1. */
    public boolean notOk() {
        return "Halted".equals(phase) || "Failed".equals(phase) || "Cancelled".equals(phase);
    }

    /** watch ends here: the rollout will not move without a person (Halted) or is over. */
    public boolean settled() {
        return notOk() || "Succeeded".equals(phase);
    }
}
