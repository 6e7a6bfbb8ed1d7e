package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/**
 * One wave of three nodes behind the Prepared barrier; one node's prepare fails (its kernel image is missing). The
 * barrier means no node of the wave reboots, the plan halts with a reason a person can act on, and nothing stays
 * cordoned.
 */
class PrepareFailureIT {

    @Test
    void failedPrepareBehindTheBarrierHaltsTheWaveWithNoDisruption() throws Exception {
        try (FleetScenario s = FleetScenario.start("prepare-failure", 3, "prepare-fail=node-1")) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            LiveUpdate plan = FleetScenario.plan("failing", 3);
            plan.getSpec().getStrategy().setCanaryNodes(0);
            plan.getSpec().getStrategy().setBarrier(true);
            // Fleet preflight (default Halt) would stop this plan before any wave (PreflightIT): this test is about
            // the prepare step failing, so preflight only reports here.
            plan.getSpec().getStrategy().setPreflight(PreflightPolicy.Report);
            s.fleet.applyPlan(plan);

            LiveUpdate halted = s.awaitPhase("failing", PlanPhase.Halted);
            assertThat(halted.getStatus().getNodeCounts().getFailed()).isEqualTo(1);
            FailedNode failed = halted.getStatus().getFailedNodes().get(0);
            assertThat(failed.getNode()).isEqualTo("node-1");
            assertThat(failed.getReason()).isEqualTo("ImageNotFound");
            assertThat(failed.getMessage()).contains("/var/lib/liveupdate/kernels/vmlinuz-7.2.0-sandbox");
            assertThat(halted.getStatus().getMessage()).isNotBlank();
            for (SimulatedNode node : s.nodes()) {
                assertThat(node.boots()).as(node.name() + " never rebooted").isEqualTo(1);
                assertThat(s.fleet.client().nodes().withName(node.name()).get().getSpec().getUnschedulable())
                        .as(node.name() + " not left cordoned").isNotEqualTo(Boolean.TRUE);
            }
            assertThat(s.fleet.timeline().bootChanges()).isEmpty();
        }
    }
}
