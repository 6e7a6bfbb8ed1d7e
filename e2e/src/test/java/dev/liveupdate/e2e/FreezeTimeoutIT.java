package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.FreezePolicy;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The freeze before the kexec, end to end: every sample workload subscribes to notices. node-1 (the canary, first by
 * name) acks its freeze, reboots and is told {@code resumed} by the agent of the new kernel; node-2's workload never
 * acks (fault freeze-no-ack), so with the default {@code onTimeout: Abort} node-2 fails with FreezeTimeout without
 * rebooting, its workload is told {@code thawed}, and the plan ends Failed (every node done, one failed).
 */
class FreezeTimeoutIT {

    @Test
    void aWorkloadThatDoesNotAckInTimeFailsItsNodeBeforeTheKexecAndIsThawed() throws Exception {
        try (FleetScenario s = FleetScenario.start("freeze-timeout", 2, "freeze-no-ack=node-2")) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            LiveUpdate plan = FleetScenario.plan("freeze", 1);
            FreezePolicy freeze = new FreezePolicy();
            freeze.setTimeout("5s"); // onTimeout left out: Abort. Room for node-1's workload to ack on a loaded machine
            plan.getSpec().getStrategy().setFreeze(freeze);
            s.fleet.applyPlan(plan);

            LiveUpdate done = s.awaitPhase("freeze", PlanPhase.Failed);
            assertThat(done.getStatus().getNodeCounts().getFailed()).isEqualTo(1);
            FailedNode failed = done.getStatus().getFailedNodes().get(0);
            assertThat(failed.getNode()).isEqualTo("node-2");
            assertThat(failed.getReason()).isEqualTo("FreezeTimeout");
            assertThat(failed.getMessage()).contains("the freeze before the kexec timed out", "deadline 5.00s", "onTimeout Abort");

            SimulatedNode node1 = s.fleet.nodes().get("node-1");
            SimulatedNode node2 = s.fleet.nodes().get("node-2");
            assertThat(node2.boots()).as("node-2 never rebooted").isEqualTo(1);
            await("node-2 uncordoned: nothing happened to it").atMost(Duration.ofMinutes(1)).until(() ->
                    !Boolean.TRUE.equals(s.fleet.client().nodes().withName("node-2").get().getSpec().getUnschedulable()));
            Path log2 = node2.workload().log();
            await("node-2's workload told thawed").atMost(Duration.ofMinutes(1)).until(() -> Files.readString(log2).contains("THAWED id="));
            assertThat(Files.readString(log2)).contains("FREEZE id=", "NOT-ACKING id=", "reason=FreezeTimeout");

            assertThat(node1.boots()).as("node-1 rebooted once").isEqualTo(2);
            Path log1 = node1.workload().log();
            String bootAfter = s.lun("node-1").getStatus().getBoot().getBootIDAfter();
            await("node-1's workload told resumed").atMost(Duration.ofMinutes(1))
                    .until(() -> Files.readString(log1).contains("RESUMED bootID=" + bootAfter));
            assertThat(Files.readString(log1)).contains("ACKED id=", "VERIFIED ");
            Blackout blackout = s.lun("node-1").getStatus().getBlackout();
            assertThat(blackout.getFreezeMillis()).as("the freeze shown apart from the blackout").isNotNull().isLessThan(5000L);
            assertThat(blackout.getFreezeResult()).contains("acknowledged");
        }
    }
}
