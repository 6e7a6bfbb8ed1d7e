package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/** A full rollout to Finished on three nodes of both ABI generations, every memfd verified after the kexec. */
class FullRolloutIT {

    @Test
    void everyNodeFinishesAndEveryWorkloadGetsItsBytesBack() throws Exception {
        try (FleetScenario s = FleetScenario.start("full-rollout", 3)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            s.fleet.applyPlan(FleetScenario.plan("full", 1));

            LiveUpdate done = s.awaitPhase("full", PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);

            assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(3);
            assertThat(done.getStatus().getProgress()).isEqualTo("3/3");
            for (SimulatedNode node : s.nodes()) {
                LiveUpdateNode lun = s.lun(node.name());
                assertThat(lun.getStatus().getInventory().getKernelRelease()).isEqualTo(FleetOptions.KERNEL_RELEASE);
                assertThat(lun.getStatus().getInventory().getAbi().name()).isEqualTo(node.generation().name());
                assertThat(lun.getStatus().getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
                assertThat(lun.getStatus().getLastUpdate().getBlackoutMillis()).isPositive();
                assertThat(lun.getStatus().getPhase()).isIn(NodePhase.Finished, NodePhase.Idle);
                assertThat(node.boots()).as(node.name() + " boots").isEqualTo(2);
                assertThat(s.fleet.client().nodes().withName(node.name()).get().getSpec().getUnschedulable())
                        .as(node.name() + " uncordoned afterwards").isNotEqualTo(Boolean.TRUE);
            }
            // kubectl get lu / lun are the progress view and the fleet inventory (printer columns, for real).
            String lu = s.kubectl("get", "lu", "full");
            assertThat(lu).containsPattern("NAME\\s+PHASE\\s+KERNEL\\s+DONE\\s+FAILED\\s+PREFLIGHT\\s+AGE")
                    .containsPattern("full\\s+Succeeded\\s+7\\.2\\.0-sandbox\\s+3/3\\s+0\\s+Passed");
            String lun = s.kubectl("get", "lun");
            assertThat(lun).containsPattern("NAME\\s+NODE\\s+DESIRED\\s+SINCE\\s+PHASE\\s+ABI\\s+BLACKOUT\\s+AGE")
                    .containsPattern("node-1\\s+node-1\\s+\\w+\\s+A\\s+[0-9.]+s")
                    .containsPattern("node-2\\s+node-2\\s+\\w+\\s+B\\s+[0-9.]+s");
            // The timeline as the API server saw it: never more than maxUnavailable=1 unavailable, one reboot each.
            assertThat(s.fleet.timeline().maxUnavailableObserved()).isEqualTo(1);
            assertThat(s.fleet.timeline().bootChanges()).containsOnlyKeys("node-1", "node-2", "node-3")
                    .allSatisfy((node, boots) -> assertThat(boots).as(node).isEqualTo(1));
        }
    }
}
