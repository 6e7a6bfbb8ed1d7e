package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/** A node whose prepare fails (its kernel image is missing) halts the plan with a reason a person can act on. */
class PrepareFailureIT {

    @Test
    void failedPrepareHaltsThePlanWithAReadableReason() throws Exception {
        try (FleetScenario s = FleetScenario.start("prepare-failure", 3, "prepare-fail=node-1")) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            s.fleet.applyPlan(FleetScenario.plan("failing", 1));

            LiveUpdate halted = s.awaitPhase("failing", PlanPhase.Halted);
            assertThat(halted.getStatus().getNodeCounts().getFailed()).isEqualTo(1);
            FailedNode failed = halted.getStatus().getFailedNodes().get(0);
            assertThat(failed.getNode()).isEqualTo("node-1");
            assertThat(failed.getMessage()).contains("/var/lib/liveupdate/kernels/vmlinuz-7.2.0-sandbox");
            assertThat(s.lun("node-1").getStatus().getPhase()).isEqualTo(NodePhase.Failed);
            assertThat(s.lun("node-1").getStatus().getReason()).isNotBlank();
            // node-1 is the canary (name order): the halt stops the rollout before anything reboots.
            assertThat(s.fleet.timeline().bootChanges()).isEmpty();
            assertThat(s.fleet.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        }
    }
}
