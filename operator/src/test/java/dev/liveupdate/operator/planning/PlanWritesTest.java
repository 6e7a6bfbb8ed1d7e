package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import org.junit.jupiter.api.Test;

class PlanWritesTest {

    private final World w = new World().nodes(2);
    private final World.SimPlan p = w.plan("p", World.spec(1, 1));

    private PassContext heldPass() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Preparing);
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        PassContext pass = Passes.of(w, p);
        pass.tracked.forEach(new HeldNodeNotes(pass)::read);
        return pass;
    }

    @Test
    void aLaterDecisionReplacesTheLedgerRepairSoANodeGetsOneLiveUpdateNodeWrite() {
        PassContext pass = heldPass();
        Tracked t = Passes.node(pass, "node-000");
        pass.writes.repairLedger(t);
        pass.writes.issue(t, NodeStep.Cancelled, t.ledger, null);
        assertThat(Passes.actions(pass)).singleElement().isInstanceOf(NodeAction.IssueStep.class);
        assertThat(t.lunWritten).isTrue();
    }

    @Test
    void anUncordonGoesFirstAndOnlyOnce() {
        PassContext pass = heldPass();
        Tracked t = Passes.node(pass, "node-000");
        pass.writes.updateLedger(t, t.ledger, null);
        pass.writes.uncordonIfOurs(t);
        pass.writes.uncordon(t);
        assertThat(Passes.actions(pass)).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Uncordon", "UpdateLedger");
        assertThat(pass.writes.cordonsLeft()).isTrue();
    }

    @Test
    void onlyOurCordonIsLifted() {
        PassContext pass = heldPass();
        Tracked other = Passes.node(pass, "node-001");
        pass.writes.uncordonIfOurs(other);
        assertThat(Passes.actions(pass)).isEmpty();
        assertThat(pass.writes.cordonsLeft()).isFalse();
    }

    @Test
    void aCancelInstructionWakesThePassWhenTheAgentShouldHaveAcknowledged() {
        PassContext pass = heldPass();
        Tracked t = Passes.node(pass, "node-000");
        pass.writes.issue(t, NodeStep.Prepared, t.ledger, null);
        assertThat(pass.wakeUp).isNull();
        pass.writes.issue(t, NodeStep.Cancelled, t.ledger, null);
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_FINISH));
    }

    @Test
    void onlyAFinishedReleaseCarriesTheBlackout() {
        heldPass();
        w.luns.get("node-000").phase = NodePhase.Finished;
        PassContext pass = Passes.of(w, p);
        Tracked t = Passes.node(pass, "node-000");
        // The figure travels in the outcome (HeldFinished puts the agent's report there), so the metric and the
        // blackout budget read the same one.
        pass.writes.release(t, new Outcome(UpdateResult.Finished, null, null, 1, w.now, w.now, true, 4200L), null);
        pass.writes.release(t, new Outcome(UpdateResult.Failed, "X", "x", 1, w.now, w.now, true, 4200L), null);
        assertThat(Passes.actions(pass)).extracting(a -> ((NodeAction.Release) a).blackoutMillis())
                .containsExactly(4200L, null);
    }
}
