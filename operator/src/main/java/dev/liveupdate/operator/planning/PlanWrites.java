package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes a pass asks for, in order, and the rules every write obeys: at most one LiveUpdateNode write per node
 * per pass (a later decision replaces the ledger repair), at most one Node write per node, an uncordon before the
 * node's other writes, and a bounded number of outcomes dropped per pass while the plan is deleted.
 */
final class PlanWrites {
    /** Outcome annotations dropped per pass while a plan is being deleted. */
    static final int MAX_FORGETS_PER_PASS = 200;

    private final PassContext pass;
    private final List<NodeAction> actions = new ArrayList<>();
    private int forgets;
    private boolean cordonsLeft;
    private boolean outcomesLeft;

    PlanWrites(PassContext pass) {
        this.pass = pass;
    }

    /** Writes back the ledger a held node lost (the first write for the node in the pass). */
    void repairLedger(Tracked t) {
        actions.add(new NodeAction.UpdateLedger(t.name(), t.lun().resourceVersion(), t.ledger, null));
        t.lunWritten = true;
    }

    void issue(Tracked t, NodeStep step, Ledger ledger, PlanEvent event) {
        replaceLunWrite(t);
        actions.add(new NodeAction.IssueStep(t.name(), t.lun().resourceVersion(), step, ledger, event));
        t.lunWritten = true;
        if (step == NodeStep.Cancelled) {
            pass.wakeAt(pass.now.plus(pass.settings.finishTimeout()));
        }
    }

    void updateLedger(Tracked t, Ledger ledger, PlanEvent event) {
        replaceLunWrite(t);
        actions.add(new NodeAction.UpdateLedger(t.name(), t.lun().resourceVersion(), ledger, event));
        t.lunWritten = true;
    }

    void release(Tracked t, Outcome outcome, PlanEvent event) {
        replaceLunWrite(t);
        Long blackout = outcome != null && outcome.result() == UpdateResult.Finished ? outcome.blackoutMillis() : null;
        actions.add(new NodeAction.Release(t.name(), t.lun().resourceVersion(), outcome, blackout, event));
        t.lunWritten = true;
    }

    /** Drops the plan's outcome on a node while the plan is deleted, a bounded number per pass. */
    void forgetOutcome(Tracked t) {
        if (forgets < MAX_FORGETS_PER_PASS) {
            forgets++;
            actions.add(new NodeAction.ForgetOutcome(t.name(), t.lun().resourceVersion()));
            t.lunWritten = true;
        }
        outcomesLeft = true;
    }

    /** Replaces the node's staging requests (only when nothing else wrote its LiveUpdateNode in this pass). */
    void stage(Tracked t, List<dev.liveupdate.api.v1alpha1.StageRequest> stage) {
        actions.add(new NodeAction.SetStage(t.name(), t.lun().resourceVersion(), List.copyOf(stage)));
        t.lunWritten = true;
    }

    void cordon(Tracked t) {
        actions.add(new NodeAction.Cordon(t.name(), t.node().resourceVersion()));
        t.nodeWritten = true;
    }

    /** One LiveUpdateNode write per node per pass: a later decision replaces the ledger-repair write. */
    private void replaceLunWrite(Tracked t) {
        if (t.lunWritten) {
            actions.removeIf(a -> a.node().equals(t.name()) && a instanceof NodeAction.UpdateLedger);
        }
    }

    void uncordonIfOurs(Tracked t) {
        if (t.node() != null && t.node().cordonedBy(pass.uid)) {
            uncordon(t);
        }
    }

    void uncordon(Tracked t) {
        if (t.nodeWritten) {
            return;
        }
        // Uncordon goes first: if it fails the node's LiveUpdateNode write in this pass is skipped.
        actions.add(0, new NodeAction.Uncordon(t.name(), t.node().resourceVersion()));
        t.nodeWritten = true;
        cordonsLeft = true;
    }

    List<NodeAction> actions() {
        return List.copyOf(actions);
    }

    /** An uncordon was asked for, so the plan may still leave a cordon behind. */
    boolean cordonsLeft() {
        return cordonsLeft;
    }

    /** The plan, being deleted, still keeps outcomes on some nodes. */
    boolean outcomesLeft() {
        return outcomesLeft;
    }
}
