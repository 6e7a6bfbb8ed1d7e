package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.TargetPhase;

/**
 * A node whose agent reports a restore for this plan while no instruction holds it: its LiveUpdateNode was created
 * again (the Node was deleted and registered again, and the garbage collector took the object with its instruction
 * and ledger). The restore is this plan's, and only this plan may end it: without a Finished instruction the agent
 * never sends FINISH, and no other plan takes a node whose agent is busy. So the plan takes it back with Finished (never
 * Rebooted: the node already rebooted for this plan) once its target is Finished or it winds down; until then the node
 * counts as at the Updated target, as if still held there. Found by the whole-protocol simulation (F1).
 */
final class OrphanedRestore {
    private final PassContext pass;

    OrphanedRestore(PassContext pass) {
        this.pass = pass;
    }

    static boolean applies(LunView lun, String planUid) {
        return lun.free() && lun.agent() != null && lun.agent().restoringFor(planUid);
    }

    void takeBack(Tracked t) {
        t.bucket = NodeBucket.UPDATED;
        t.wave = Math.max(1, pass.tracked.stream().mapToInt(x -> x.wave).max().orElse(1));
        boolean finish = pass.mode.windsDown() || pass.settings.target() == TargetPhase.Finished;
        if (finish && (pass.mode.mayTakeStep() || pass.mode.windsDown())) {
            pass.writes.issue(t, NodeStep.Finished, new Ledger(pass.uid, t.wave, pass.now, pass.now, null, null, null,
                    null), PlanEvent.warning(Reasons.RESTORE_TAKEN_BACK, "node " + t.name() + " reports a restore for"
                            + " this plan but its LiveUpdateNode has no instruction (created again with its Node?);"
                            + " told Finished"));
            return;
        }
        t.note = Reasons.RESTORE_TAKEN_BACK + ": the agent reports a restore for this plan without an instruction;"
                + " it is told Finished once the plan's target is Finished or the plan is cancelled or deleted";
        boolean atTarget = pass.settings.target() != TargetPhase.Finished;
        t.reachedTarget = atTarget;
        t.done = atTarget;
        t.settled = atTarget;
        t.settledAt = atTarget ? pass.now : null;
    }
}
