package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * F1 of the whole-protocol simulation: the Node was deleted and registered again while the plan held it after its
 * reboot; the garbage collector took the LiveUpdateNode with its instruction and ledger, and the agent re-created it
 * and reports its restore for the plan. Only that plan may end the restore (FINISH needs its instruction).
 */
class OrphanedRestoreTest {

    @Test
    void aPlanAtTargetFinishedTellsTheOrphanedRestoreFinishedNeverRebooted() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        orphanedRestore(w, p, "node-000");

        Decision d = w.reconcile(p);
        assertThat(d.actions()).filteredOn(a -> a.node().equals("node-000")).singleElement()
                .isInstanceOfSatisfying(NodeAction.IssueStep.class, a -> {
                    assertThat(a.step()).isEqualTo(NodeStep.Finished);
                    assertThat(a.event().warning()).isTrue();
                    assertThat(a.event().reason()).isEqualTo(Reasons.RESTORE_TAKEN_BACK);
                });

        for (int i = 0; i < 40; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
            w.advance(Duration.ofSeconds(30));
        }
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
        assertThat(w.luns.get("node-000").planUid).as("released").isNull();
        assertThat(w.luns.get("node-000").outcomes.get(p.uid).result())
                .isEqualTo(dev.liveupdate.api.v1alpha1.UpdateResult.Finished);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aPlanStagedAtUpdatedCountsItAtTargetAndFinishesItOnceRaised() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setTargetPhase(TargetPhase.Updated);
        orphanedRestore(w, p, "node-000");

        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
        assertThat(p.status.getProgress()).isEqualTo("1/1");

        p.spec.setTargetPhase(TargetPhase.Finished);
        p.generation++;
        d = w.reconcile(p);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(NodeAction.IssueStep.class,
                a -> assertThat(a.step()).isEqualTo(NodeStep.Finished));
    }

    @Test
    void anotherPlansOrphanedRestoreIsNotTakenByThisPlan() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        World.SimPlan q = w.plan("q", World.spec(1, 0));
        orphanedRestore(w, q, "node-000");
        w.nodes.get("node-000").release = World.OLD; // not p's target: p would otherwise count it as already there
        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(p.status.getMessage()).contains("AgentBusy");
    }

    /** The plan's restore on a node whose object lost the instruction: the agent rebooted for it and reports Updated. */
    private static void orphanedRestore(World w, World.SimPlan p, String node) {
        Passes.rebootedInto(w, node, World.TARGET);
        World.SimLun l = w.luns.get(node);
        l.planUid = null;
        l.planName = null;
        l.step = null;
        l.ledger = null;
        l.phase = NodePhase.Updated;
        l.statusPlan = p.uid;
        l.generation = 1;
        l.observed = 1L;
        l.rv++;
    }
}
