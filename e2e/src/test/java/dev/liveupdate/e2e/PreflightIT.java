package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PreflightFinding;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Fleet preflight on three nodes, one without the plan's kernel: the plan reports it from the agents' inventories
 * within seconds and touches no node (no instruction, no cordon, no reboot); once the kernel is put in place, the
 * agent's next inventory clears the finding and the plan rolls to the end.
 */
class PreflightIT {

    @Test
    void aMissingKernelStopsThePlanBeforeAnyNodeUntilItIsCopied() throws Exception {
        try (FleetScenario s = FleetScenario.start("preflight", 3, "prepare-fail=node-1")) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            Instant applied = Instant.now();
            s.fleet.applyPlan(FleetScenario.plan("preflight", 3));

            LiveUpdate stopped = s.awaitPlan("preflight", p -> p != null && p.getStatus() != null
                    && p.getStatus().getPreflight() != null && "1 blocking".equals(p.getStatus().getPreflight().getSummary()),
                    "preflight reports node-1");
            Duration reported = Duration.between(applied, Instant.now());
            System.out.println("preflight reported the missing kernel " + reported.toMillis() + " ms after the plan was applied");
            PreflightFinding f = stopped.getStatus().getPreflight().getFindings().get(0);
            assertThat(f.getReason()).isEqualTo("KernelMissing");
            assertThat(f.getBlocking()).isTrue();
            assertThat(f.getNodes()).containsExactly("node-1");
            assertThat(stopped.getStatus().getPhase()).isEqualTo(PlanPhase.Pending);
            assertThat(stopped.getStatus().getMessage()).contains("preflight").contains("node-1");
            assertThat(stopped.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("PreflightPassed");
                assertThat(c.getStatus()).isEqualTo("False");
            });
            // The same status was written in the pass that decided not to start a wave: nothing was asked of a node.
            for (SimulatedNode node : s.nodes()) {
                LiveUpdateNode lun = s.lun(node.name());
                assertThat(lun.getSpec().getInstruction()).as(node.name() + " got no instruction").isNull();
                assertThat(s.fleet.client().nodes().withName(node.name()).get().getSpec().getUnschedulable())
                        .as(node.name() + " not cordoned").isNotEqualTo(Boolean.TRUE);
                assertThat(node.boots()).isEqualTo(1);
            }
            assertThat(s.kubectl("get", "lu", "preflight")).contains("PREFLIGHT").contains("1 blocking");

            SimulatedNode node1 = s.nodes().stream().filter(n -> n.name().equals("node-1")).findFirst().orElseThrow();
            SimulatedKernel.writeImage(node1.root().resolve(Path.of("/").relativize(Path.of(FleetOptions.KERNEL_IMAGE))),
                    FleetOptions.KERNEL_RELEASE);

            LiveUpdate done = s.awaitPhase("preflight", PlanPhase.Succeeded);
            assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(3);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);
        }
    }
}
