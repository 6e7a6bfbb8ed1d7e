package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * F6 of the whole-protocol simulation: a node that failed after its reboot instruction stays cordoned for a person
 * and holds the unavailability budget. The plan must say so (Stalled, naming the node and what releases it), and a
 * person's uncordon must let the rollout go on without ever exceeding the budget.
 */
class FailedNodesHoldingBudgetTest {

    @Test
    void aFailureThatHoldsTheWholeBudgetStallsThePlanNamingTheNodeAndTheWayOut() {
        World w = new World().nodes(3);
        World.SimPlan p = failingPlan(w);
        List<PlanEvent> events = untilQuiet(w, p);

        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Progressing);
        assertThat(condition(p, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(p, "Stalled").getReason()).isEqualTo(FailedNodesHoldingBudget.REASON);
        assertThat(condition(p, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(p.status.getMessage()).contains("node-000 (SessionsLost)").contains("kubectl uncordon")
                .contains("1/1 unavailable");
        assertThat(w.nodes.get("node-001").bootID).as("no second node taken").isEqualTo(bootBefore(w, "node-001"));
        assertThat(events).filteredOn(e -> e.reason().equals(FailedNodesHoldingBudget.REASON)).hasSize(1)
                .allMatch(PlanEvent::warning);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aPersonsUncordonOfTheFailedNodeLetsTheRolloutFinishWithinTheBudget() {
        World w = new World().nodes(3);
        World.SimPlan p = failingPlan(w);
        untilQuiet(w, p);
        assertThat(condition(p, "Stalled").getStatus()).isEqualTo("True");

        World.SimNode failed = w.nodes.get("node-000");
        failed.unschedulable = false; // kubectl uncordon: the plan's cordon mark stays on the Node
        failed.truth = null;
        failed.rv++;
        untilQuiet(w, p);

        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Failed); // done, with one failure
        assertThat(p.status.getFailedNodes()).extracting(f -> f.getNode()).containsExactly("node-000");
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(2);
        assertThat(condition(p, "Stalled").getReason()).isNotEqualTo(FailedNodesHoldingBudget.REASON);
        assertThat(failed.unschedulable).as("the person's uncordon stands: the plan does not cordon it again").isFalse();
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aFailedNodeThatLeavesRoomInTheBudgetIsNamedButDoesNotStallThePlan() {
        World w = new World().nodes(4);
        World.SimPlan p = failingPlan(w);
        p.spec.getStrategy().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(2));
        untilQuiet(w, p);
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Failed);
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(3);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aNodeFailedInAnotherPlanThatHoldsTheBudgetIsNamedWithThatPlan() {
        // Found by the simulation: plan one's failed node, left cordoned, held plan two's only unit of budget.
        World w = new World().nodes(3);
        World.SimPlan one = w.plan("one", World.spec(1, 0));
        World.SimPlan two = w.plan("two", World.spec(1, 0));
        World.SimLun failed = Passes.hold(w, one, "node-000", dev.liveupdate.api.v1alpha1.NodeStep.Rebooted, 1,
                dev.liveupdate.api.v1alpha1.NodePhase.Failed);
        failed.ledger = failed.ledger.withFailure(new Failure("RestoreTimeout", "not restored", w.now, true));
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = one.uid;
        PassContext pass = Passes.classified(w, two);
        UnavailabilityBudget budget = new UnavailabilityBudget(pass);
        assertThat(budget.admit(false)).isFalse();
        String waiting = FailedNodesHoldingBudget.waitingFor(pass, budget);
        assertThat(waiting).contains("node-000 (RestoreTimeout in LiveUpdate one)");
        assertThat(pass.stalledOn).isEqualTo(FailedNodesHoldingBudget.REASON);

        w.nodes.get("node-000").unschedulable = false; // kubectl uncordon
        assertThat(new UnavailabilityBudget(Passes.classified(w, two)).unavailable()).isZero();
    }

    @Test
    void aNodeWhoseFreezeTimedOutBeforeTheKexecIsUncordonedAndHoldsNoBudget() {
        World w = new World().nodes(3);
        World.SimPlan p = failingPlan(w);
        w.nodes.get("node-000").agent = World.Agent.FREEZE_TIMEOUT;
        untilQuiet(w, p);

        World.SimNode aborted = w.nodes.get("node-000");
        assertThat(aborted.bootID).as("never rebooted").isEqualTo(bootBefore(w, "node-000"));
        assertThat(aborted.unschedulable).as("nothing happened to it: not left cordoned").isFalse();
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Failed); // done, with one failure
        assertThat(p.status.getFailedNodes()).extracting(f -> f.getReason()).containsExactly("FreezeTimeout");
        assertThat(p.status.getNodeCounts().getFinished()).as("the rollout went on within maxUnavailable 1")
                .isEqualTo(2);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aRebootFailureLeavesTheNodeCordonedEvenWithTheBootUnchanged() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        World.SimLun l = Passes.hold(w, p, "node-000", dev.liveupdate.api.v1alpha1.NodeStep.Rebooted, 1,
                dev.liveupdate.api.v1alpha1.NodePhase.Failed);
        l.ledger = l.ledger.withBootBefore(w.nodes.get("node-000").bootID);
        l.reason = "RebootFailed";
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        assertThat(w.reconcile(p, 0, false).actions()).as("RebootFailed: the kernel refused the kexec, a person looks")
                .noneMatch(a -> a instanceof NodeAction.Uncordon);
        l.reason = "FreezeTimeout";
        assertThat(w.reconcile(p, 0, false).actions()).anyMatch(a -> a instanceof NodeAction.Uncordon);
        w.nodes.get("node-000").bootID = "boot-node-000-after"; // the same reason with another boot: not ours to judge
        assertThat(w.reconcile(p, 0, false).actions()).noneMatch(a -> a instanceof NodeAction.Uncordon);
    }

    private static World.SimPlan failingPlan(World w) {
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.getStrategy().setMaxFailures(2);
        p.spec.getStrategy().setBarrier(false);
        w.nodes.get("node-000").agent = World.Agent.FAIL_REBOOT;
        w.nodes.values().forEach(n -> n.labels.putIfAbsent("boot-before", n.bootID));
        return p;
    }

    private static String bootBefore(World w, String node) {
        return w.nodes.get(node).labels.get("boot-before");
    }

    private static List<PlanEvent> untilQuiet(World w, World.SimPlan p) {
        List<PlanEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.addAll(w.reconcile(p).events());
            w.agentsUntilQuiet();
            w.advance(Duration.ofSeconds(30));
        }
        return events;
    }

    private static Condition condition(World.SimPlan p, String type) {
        List<Condition> cs = p.status.getConditions();
        return cs.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
