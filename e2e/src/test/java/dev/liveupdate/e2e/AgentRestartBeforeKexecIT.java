package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox's kill-agent fault before the kexec, against a real API server: the agent dies right after the API server
 * stored Preparing, Prepared or Rebooting (before it recorded the reboot on the host disk), the kubelet-like sandbox
 * restarts it in the same boot, the workload hands its memfd over again, and the plan still succeeds: one reboot per
 * node, every workload's bytes back.
 */
class AgentRestartBeforeKexecIT {

    @ParameterizedTest
    @ValueSource(strings = {"Preparing", "Prepared", "Rebooting"})
    void anAgentKilledBeforeTheKexecPreparesAgainAndThePlanSucceeds(String phase) throws Exception {
        String name = "heal-" + phase.toLowerCase(Locale.ROOT);
        try (FleetScenario s = FleetScenario.start("agent-restart-" + phase.toLowerCase(Locale.ROOT), 2, "kill-agent=node-2@" + phase)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            s.fleet.applyPlan(FleetScenario.plan(name, 1));

            LiveUpdate done = s.awaitPhase(name, PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);

            assertThat(done.getStatus().getNodeCounts().getFailed()).isZero();
            SimulatedNode killed = s.fleet.nodes().get("node-2");
            assertThat(killed.agentRestarts()).as("the agent was killed once in the old boot").isEqualTo(1);
            LiveUpdateNode lun = s.lun("node-2");
            assertThat(lun.getStatus().getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
            for (SimulatedNode node : s.nodes()) {
                assertThat(node.boots()).as(node.name() + " rebooted exactly once").isEqualTo(2);
            }
        }
    }
}
