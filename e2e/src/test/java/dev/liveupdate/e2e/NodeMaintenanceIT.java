package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.sandbox.WorkloadState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Node lifecycle conditions (KEP-5683) end to end, with the chart's RBAC and admission policies and the operator's own
 * token: a person marks node-3 {@code DrainInProgress} with kubectl, the plan updates node-1 and node-2 (each marked
 * {@code MaintenancePlanned}, then {@code MaintenanceInProgress}, cleared after) and holds node-3 back saying why;
 * once the drain is over node-3 is updated too and every workload verifies its bytes.
 */
class NodeMaintenanceIT {

    @Test
    void anotherActorsDrainHoldsItsNodeBackAndOurConditionsComeAndGo() throws Exception {
        try (FleetScenario s = FleetScenario.start("maintenance", 3)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            drain(s, "True");
            Set<String> seenOnNode1 = ConcurrentHashMap.newKeySet();
            try (var watch = s.fleet.client().nodes().withName("node-1").watch(new Watcher<Node>() {
                @Override
                public void eventReceived(Action action, Node n) {
                    n.getStatus().getConditions().stream()
                            .filter(c -> c.getReason() != null && c.getReason().startsWith("LiveUpdate"))
                            .forEach(c -> seenOnNode1.add(c.getType() + "/" + c.getReason()));
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                s.fleet.applyPlan(FleetScenario.plan("maintenance", 1));
                LiveUpdate held = s.awaitPlan("maintenance", p -> p.getStatus() != null
                        && p.getStatus().getNodeCounts() != null && p.getStatus().getNodeCounts().getFinished() == 2
                        && p.getStatus().getNodeCounts().getBlocked() == 1, "node-1 and node-2 done, node-3 held back");
                assertThat(held.getStatus().getMessage())
                        .contains("node-3 (NodeInMaintenance: DrainInProgress (Decommission: rack 7 leaves))");
                assertThat(s.lun("node-3").getSpec().getInstruction()).as("node-3 is not touched").isNull();
                assertThat(seenOnNode1).contains("MaintenancePlanned/LiveUpdatePlanned",
                        "MaintenanceInProgress/LiveUpdateInProgress");
            }
            drain(s, "False");
            s.awaitPhase("maintenance", PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);
            await("the operator's conditions are gone from every node").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> s.nodes().stream().allMatch(n -> ours(s, n.name()).isEmpty()));
            assertThat(s.kubectl("get", "node", "node-3", "-o",
                    "jsonpath={.status.conditions[?(@.type==\"DrainInProgress\")].reason}"))
                    .as("the person's condition is theirs").isEqualTo("Decommission");
        }
    }

    /** As a person (or a drain tool) would: kubectl patching the Node's status subresource. */
    private static void drain(FleetScenario s, String status) throws Exception {
        s.kubectl("patch", "node", "node-3", "--subresource=status", "--type=strategic", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"DrainInProgress\",\"status\":\"" + status
                        + "\",\"reason\":\"Decommission\",\"message\":\"rack 7 leaves\"}]}}");
    }

    private static List<String> ours(FleetScenario s, String node) {
        return s.fleet.client().nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getReason() != null && c.getReason().startsWith("LiveUpdate"))
                .map(c -> c.getType() + "/" + c.getStatus()).toList();
    }
}
