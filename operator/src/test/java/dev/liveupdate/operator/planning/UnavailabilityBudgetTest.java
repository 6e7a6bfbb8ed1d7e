package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

class UnavailabilityBudgetTest {

    @Test
    void countsEverySelectedNodeThatIsUnavailableOnceWhateverTheReason() {
        World w = new World().nodes(6);
        World.SimPlan p = w.plan("p", World.spec(3, 0));
        p.selector = l -> !"other".equals(l.get("pool"));
        w.nodes.get("node-000").ready = false;
        w.nodes.get("node-001").unschedulable = true; // cordoned by a person
        w.nodes.get("node-002").unschedulable = true; // cordoned by us: counted once, not twice
        w.nodes.get("node-002").cordonedBy = p.uid;
        w.nodes.get("node-002").ready = false;
        w.nodes.get("node-005").labels.put("pool", "other"); // not selected, not held: not ours to count
        w.nodes.get("node-005").ready = false;
        UnavailabilityBudget budget = new UnavailabilityBudget(Passes.classified(w, p));
        assertThat(budget.unavailable()).isEqualTo(3);
        assertThat(budget.max()).isEqualTo(3);
    }

    @Test
    void aNodeRebootingForThePlanCountsEvenAfterItLeftTheSelector() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        Passes.hold(w, p, "node-003", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        w.nodes.get("node-003").labels.put("pool", "gone");
        p.selector = l -> !"gone".equals(l.get("pool"));
        PassContext pass = Passes.classified(w, p);
        UnavailabilityBudget budget = new UnavailabilityBudget(pass);
        assertThat(budget.unavailable()).isEqualTo(1);
        assertThat(budget.admit(false)).as("the one slot is taken").isFalse();
    }

    @Test
    void aNodeAnotherPlanToldToRebootCountsWhileItStillLooksAvailable() {
        // Found by the protocol simulation (F5): plan q has cordon Never, so its node is Ready and schedulable until
        // the kexec takes it down; plan p must not spend that slot.
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        World.SimPlan q = w.plan("q", World.spec(1, 0));
        Passes.hold(w, q, "node-003", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        UnavailabilityBudget budget = new UnavailabilityBudget(Passes.classified(w, p));
        assertThat(budget.unavailable()).isEqualTo(1);
        assertThat(budget.admit(false)).as("q's reboot takes the one slot").isFalse();
    }

    @Test
    void anotherPlansNodeStopsCountingOnceItsAgentReportsTheUpdateOrItsFailureIsRecorded() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        World.SimPlan q = w.plan("q", World.spec(1, 0));
        Passes.hold(w, q, "node-002", NodeStep.Rebooted, 1, NodePhase.Updated);
        World.SimLun failed = Passes.hold(w, q, "node-003", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        failed.ledger = failed.ledger.withFailure(new Failure("RebootTimeout", "not verified", w.now, true));
        assertThat(new UnavailabilityBudget(Passes.classified(w, p)).unavailable()).isZero();
    }

    @Test
    void aPercentageIsOfTheSelectedNodes() {
        World w = new World().nodes(8);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.getStrategy().setMaxUnavailable(new IntOrString("50%"));
        p.selector = l -> !"other".equals(l.get("pool"));
        w.nodes.get("node-007").labels.put("pool", "other");
        w.nodes.get("node-006").labels.put("pool", "other");
        assertThat(new UnavailabilityBudget(Passes.classified(w, p)).max()).isEqualTo(3);
    }

    @Test
    void admittingGrowsTheCountUnlessTheNodeWasAlreadyCounted() {
        World w = new World().nodes(5);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        UnavailabilityBudget budget = new UnavailabilityBudget(Passes.classified(w, p));
        assertThat(budget.unavailable()).isEqualTo(1);
        assertThat(budget.admit(true)).as("our cordoned node reboots within its own slot").isTrue();
        assertThat(budget.unavailable()).isEqualTo(1);
        assertThat(budget.admit(false)).isTrue();
        assertThat(budget.unavailable()).isEqualTo(2);
        assertThat(budget.admit(false)).as("2 of 2 in use").isFalse();
        assertThat(budget.unavailable()).isEqualTo(2);
        assertThat(budget.admit(true)).as("a counted node still fits while the others leave room").isTrue();
    }
}
