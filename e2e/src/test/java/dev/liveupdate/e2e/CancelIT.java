package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/** Cancelling before any reboot returns every node to normal: nothing rebooted, nothing left cordoned. */
class CancelIT {

    @Test
    void cancelBeforeRebootLeavesEveryNodeAsItWas() throws Exception {
        try (FleetScenario s = FleetScenario.start("cancel", 3)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            LiveUpdate plan = FleetScenario.plan("cancel", 3);
            plan.getSpec().setTargetPhase(TargetPhase.Prepared);
            s.fleet.applyPlan(plan);
            s.awaitPlan("cancel", p -> p.getStatus() != null && p.getStatus().getNodeCounts() != null
                    && Integer.valueOf(3).equals(p.getStatus().getNodeCounts().getPrepared()), "all nodes prepared");

            LiveUpdate cancel = s.get("cancel");
            cancel.getSpec().setCancel(true);
            s.fleet.applyPlan(cancel);

            // Phase Cancelled comes with the Cancelled instructions (reason Cancelling); the plan is done once every
            // node reported it and was released (completionTime set), which is what this test looks at.
            LiveUpdate cancelled = s.awaitPlan("cancel", p -> p != null && p.getStatus() != null
                    && p.getStatus().getPhase() == PlanPhase.Cancelled && p.getStatus().getCompletionTime() != null, "cancellation done");
            assertThat(cancelled.getStatus().getNodeCounts().getCancelled()).isEqualTo(3);
            for (SimulatedNode node : s.nodes()) {
                assertThat(node.boots()).as(node.name()).isEqualTo(1);
                assertThat(s.lun(node.name()).getStatus().getPhase()).isIn(NodePhase.Cancelled, NodePhase.Idle);
                assertThat(s.fleet.client().nodes().withName(node.name()).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            }
            assertThat(s.fleet.timeline().bootChanges()).isEmpty();
        }
    }
}
