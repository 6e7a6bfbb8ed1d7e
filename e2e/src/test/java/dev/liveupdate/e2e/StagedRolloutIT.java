package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/** Stage first (targetPhase Prepared: nothing reboots), then raise targetPhase and the same plan finishes. */
class StagedRolloutIT {

    @Test
    void preparedFirstThenRaisedToFinished() throws Exception {
        try (FleetScenario s = FleetScenario.start("staged", 3)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            LiveUpdate plan = FleetScenario.plan("staged", 2);
            plan.getSpec().setTargetPhase(TargetPhase.Prepared);
            s.fleet.applyPlan(plan);

            s.awaitPlan("staged", p -> p.getStatus() != null && p.getStatus().getNodeCounts() != null
                    && Integer.valueOf(3).equals(p.getStatus().getNodeCounts().getPrepared()), "all three nodes prepared");
            for (SimulatedNode node : s.nodes()) {
                assertThat(s.lun(node.name()).getStatus().getPhase()).isEqualTo(NodePhase.Prepared);
                assertThat(node.boots()).as("staging reboots nothing").isEqualTo(1);
            }
            assertThat(s.fleet.timeline().bootChanges()).isEmpty();

            LiveUpdate raised = s.get("staged");
            raised.getSpec().setTargetPhase(TargetPhase.Finished);
            s.fleet.applyPlan(raised);

            s.awaitPhase("staged", PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);
            assertThat(s.fleet.timeline().bootChanges()).hasSize(3).allSatisfy((node, boots) -> assertThat(boots).isEqualTo(1));
            assertThat(s.fleet.timeline().maxUnavailableObserved()).isLessThanOrEqualTo(2);
        }
    }
}
