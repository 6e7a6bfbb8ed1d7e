package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which column a node this plan does not hold goes in: done before (its outcome), held by another plan (a
 * conflict), skipped (no agent, not capable, handled before), already at the target, blocked for now (agent busy,
 * NotReady, another actor's maintenance, cordoned by someone) or pending, i.e. free to start in the next wave. Also
 * tidies what an interrupted release or a deletion left: a cordon mark without an instruction, and the plan's
 * outcomes.
 */
final class FreeNodeClassifier {
    private final PassContext pass;
    private final JoinPolicy join;

    FreeNodeClassifier(PassContext pass) {
        this.pass = pass;
        this.join = new JoinPolicy(pass);
    }

    void classify(Tracked t) {
        NodeView n = t.node();
        LunView lun = t.lun();
        String uid = pass.uid;
        if (n != null && n.cordonedBy(uid)) {
            pass.writes.uncordon(t); // a cordon mark without an instruction: left over from an interrupted release
        }
        Outcome o = lun == null ? null : lun.outcome(uid);
        if (o != null && pass.mode == PlanMode.DELETING) {
            pass.writes.forgetOutcome(t);
        }
        if (n == null || !t.entry.selected()) {
            t.bucket = null; // not counted: gone or no longer selected
            return;
        }
        if (o != null) {
            recordOutcome(t, o);
            return;
        }
        if (lun == null) {
            t.skip(Reasons.NO_AGENT + ": no LiveUpdateNode (is the agent running on it?)");
            return;
        }
        if (!lun.free()) {
            t.bucket = NodeBucket.BLOCKED;
            t.holder = Texts.orElse(lun.instructionPlanName(), lun.instructionPlan());
            t.note = Reasons.HELD_BY_OTHER_PLAN;
            pass.conflicts.computeIfAbsent(t.holder, k -> new TreeSet<>()).add(t.name());
            return;
        }
        if (OrphanedRestore.applies(lun, uid)) {
            new OrphanedRestore(pass).takeBack(t);
            return;
        }
        AgentReport a = lun.agent();
        if (a != null && uid.equals(a.lastUpdatePlanUid()) && a.lastUpdateResult() != UpdateResult.Cancelled) {
            // Defensive (invariant 6): the agent remembers an update by this plan but our outcome is missing.
            t.done = true;
            t.skip(Reasons.HANDLED_BEFORE + ": the agent reports an earlier update by this plan");
            return;
        }
        if (a == null || !Boolean.TRUE.equals(a.capable())) {
            t.skip(Reasons.NOT_CAPABLE + ": " + (a == null ? "agent has not reported its inventory"
                    : Texts.orElse(a.incapableReason(), "the agent reports no live-update capability")));
            return;
        }
        PlanSettings s = pass.settings;
        if (s.kernelRelease() != null && s.kernelRelease().equals(n.kernelRelease())) {
            t.bucket = NodeBucket.FINISHED;
            t.note = Reasons.ALREADY_AT_TARGET;
            t.done = true;
            t.reachedTarget = true;
            return;
        }
        Optional<String> leave = join.leaveAlone(n, lun);
        if (leave.isPresent()) {
            t.skip(leave.get());
            return;
        }
        if (a.planUid() != null) {
            // The agent still reports on an instruction that was cleared; starting now could meet its sticky
            // Cancelled/Failed state for that plan. Wait until it reports Idle.
            t.block(Reasons.AGENT_BUSY + ": agent still reports " + a.phase() + " for an earlier instruction");
            return;
        }
        if (!n.ready()) {
            t.block(Reasons.NODE_NOT_READY);
            return;
        }
        if (n.maintenanceByOthers() != null) {
            // Checked before the cordon: another actor's maintenance usually cordons too, and says more.
            t.block(Reasons.NODE_IN_MAINTENANCE + ": " + n.maintenanceByOthers());
            return;
        }
        if (n.unschedulable() && !n.cordonedBy(uid)) {
            t.block(Reasons.NODE_CORDONED);
            return;
        }
        t.bucket = NodeBucket.PENDING;
    }

    /** A node this plan already took through: it counts with how it ended and is never started again. */
    private static void recordOutcome(Tracked t, Outcome o) {
        t.wave = o.wave();
        t.settled = true;
        t.done = true;
        t.settledAt = o.at();
        switch (o.result()) {
            case Finished -> {
                t.bucket = NodeBucket.FINISHED;
                t.reachedTarget = true;
                t.finishedByReboot = o.rebooted();
                t.blackoutMillis = o.blackoutMillis();
            }
            case Failed -> {
                t.bucket = NodeBucket.FAILED;
                t.failure = new Failure(o.reason(), o.message(), o.at(), o.rebooted());
            }
            case Cancelled -> t.bucket = NodeBucket.CANCELLED;
        }
    }
}
