package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;

/**
 * A held node told {@code Prepared}: failed (held), cancelled (plan cancelled or deleted, node left the selector,
 * its wave's barrier broke), settled (target Prepared), a reboot candidate for {@link RebootAdmission}, or still
 * preparing until the prepare timeout.
 */
final class HeldPrepared {
    private final PassContext pass;
    private final HeldSettling settling;

    HeldPrepared(PassContext pass, HeldSettling settling) {
        this.pass = pass;
        this.settling = settling;
    }

    void handle(Tracked t, boolean windDown) {
        Failure f = t.failure != null ? t.failure : settling.prepareFailure(t);
        if (f == null && rebootedBefore(t)) {
            // Defensive (invariant 6): the agent says this node already went through a reboot for this plan.
            f = new Failure(Reasons.REBOOTED_BEFORE, "the agent reports an earlier reboot for this plan;"
                    + " it is not asked to reboot again", pass.now, false);
        }
        if (f != null) {
            settling.heldPrepareFailure(t, f, windDown);
            return;
        }
        String cancelReason = pass.mode == PlanMode.DELETING ? Reasons.CANCEL_DELETED
                : pass.mode == PlanMode.CANCELLING ? Reasons.CANCEL_PLAN
                : !t.entry.selected() ? Reasons.CANCEL_LEFT_SELECTOR
                : pass.brokenWaves.contains(t.wave) ? Reasons.CANCEL_BARRIER : null;
        if (windDown || cancelReason != null) {
            t.bucket = NodeBucket.CANCELLED;
            pass.writes.uncordonIfOurs(t);
            pass.writes.issue(t, NodeStep.Cancelled, t.ledger.withCancelReason(cancelReason).withStep(pass.now), null);
            return;
        }
        if (t.agentPhase == NodePhase.Prepared) {
            t.bucket = NodeBucket.PREPARED;
            if (!pass.settings.rebootsNodes()) {
                settling.settleAtTarget(t);
                pass.writes.uncordonIfOurs(t);
            } else {
                t.rebootCandidate = true;
            }
            return;
        }
        t.bucket = NodeBucket.PREPARING;
        pass.writes.uncordonIfOurs(t);
        pass.wakeAt(t.ledger.stepSince().plus(pass.settings.prepareTimeout()));
    }

    private boolean rebootedBefore(Tracked t) {
        AgentReport a = t.lun().agent();
        return a != null && pass.uid.equals(a.planUid()) && a.phase() != null && afterReboot(a.phase());
    }

    private static boolean afterReboot(NodePhase p) {
        return p == NodePhase.Rebooting || p == NodePhase.Restoring || p == NodePhase.Updated
                || p == NodePhase.Finished;
    }
}
