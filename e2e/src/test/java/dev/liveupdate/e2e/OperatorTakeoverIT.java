package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.sandbox.FleetOptions;
import dev.liveupdate.sandbox.LeaseHistory;
import dev.liveupdate.sandbox.WorkloadState;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operator HA for real: two operator replicas elect a leader on a Lease; the leader is SIGKILLed while the second wave
 * (node-2 and node-3, maxUnavailable 2) is rebooting. The standby takes the Lease and finishes the plan from what the
 * cluster holds: the plan succeeds, every workload gets its bytes back, every node booted exactly once, and the watch
 * history of Nodes and LiveUpdateNodes never shows more nodes unavailable than the budget.
 */
class OperatorTakeoverIT {

    @Test
    void theStandbyTakesOverMidWaveAndFinishesThePlanSafely() throws Exception {
        try (FleetScenario s = FleetScenario.start("operator-takeover", 3, 2, "kill-operator=node-2@Rebooting")) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            s.fleet.applyPlan(FleetScenario.plan("takeover", 2));

            LiveUpdate done = s.awaitPhase("takeover", PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);

            assertThat(done.getStatus().getProgress()).isEqualTo("3/3");
            assertThat(s.fleet.events()).as("the fault fired").anyMatch(e -> e.startsWith("fault injected: leader operator-")
                    && e.endsWith("as node-2 reported Rebooting"));
            LeaseHistory lease = s.fleet.leaseHistory();
            List<LeaseHistory.Term> terms = lease.terms();
            String killed = lease.killedLeader();
            assertThat(killed).as("the Lease holder killed").startsWith("operator-");
            assertThat(terms).as("it held the Lease before").extracting(LeaseHistory.Term::holder).contains(killed);
            assertThat(lease.takeover()).as("another replica took the Lease after the kill: " + terms).isPresent();
            Lease now = s.fleet.client().leases().inNamespace(FleetOptions.NAMESPACE).withName("liveupdate-operator-leader").get();
            assertThat(now.getSpec().getHolderIdentity()).as("holder now").isNotEqualTo(killed).startsWith("operator-");
            // Every node rebooted exactly once, and never more unavailable at once than maxUnavailable (2).
            assertThat(s.fleet.timeline().bootChanges()).containsOnlyKeys("node-1", "node-2", "node-3")
                    .allSatisfy((node, boots) -> assertThat(boots).as(node).isEqualTo(1));
            assertThat(s.fleet.timeline().maxUnavailableObserved()).isBetween(1, 2);
            s.nodes().forEach(n -> assertThat(n.boots()).as(n.name() + " boots").isEqualTo(2));
        }
    }
}
