package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/**
 * A held node told {@code Cancelled}: released once the agent acknowledges (or the finish timeout passes, with an
 * event). The outcome says how it ended for this plan: Failed when the agent failed, Cancelled when the plan was
 * cancelled, none when the cancel was not about the node (barrier, selector), so it may start again later.
 */
final class HeldCancelled {
    private final PassContext pass;
    private final HeldSettling settling;

    HeldCancelled(PassContext pass, HeldSettling settling) {
        this.pass = pass;
        this.settling = settling;
    }

    void handle(Tracked t, boolean windDown) {
        if (t.failure != null) {
            settling.heldPrepareFailure(t, t.failure, windDown);
            return;
        }
        PlanSettings s = pass.settings;
        t.bucket = NodeBucket.CANCELLED;
        AgentReport a = t.lun().agent();
        boolean caughtUp = t.lun().agentCaughtUp();
        boolean ack = t.agentPhase == NodePhase.Cancelled || t.agentPhase == NodePhase.Failed
                || t.agentPhase == NodePhase.Idle || caughtUp && a.planUid() == null;
        boolean timedOut = pass.expired(t, s.finishTimeout());
        if (!ack && !timedOut) {
            pass.wakeAt(t.ledger.stepSince().plus(s.finishTimeout()));
            return;
        }
        Failure f = null;
        if (t.agentPhase == NodePhase.Failed) {
            f = new Failure(Texts.orElse(a.reason(), Reasons.CANCEL_FAILED),
                    Texts.orElse(a.message(), "the agent reported Failed while cancelling"), pass.now, false);
        }
        PlanEvent ev = ack ? null : PlanEvent.warning("CancelNotAcknowledged", "node " + t.name()
                + " did not acknowledge Cancelled within " + Texts.human(s.finishTimeout()) + "; released anyway");
        Outcome o = f != null
                ? new Outcome(UpdateResult.Failed, f.reason(), f.message(), t.wave, t.ledger.startedAt(), f.at(), false)
                : Reasons.CANCEL_PLAN.equals(t.ledger.cancelReason())
                        ? new Outcome(UpdateResult.Cancelled, Reasons.CANCEL_PLAN, null, t.wave,
                                t.ledger.startedAt(), pass.now, false)
                        : null; // cancelled for a reason that is not the node's: it may start again later
        if (f != null) {
            t.bucket = NodeBucket.FAILED;
            t.failure = f;
            t.settled = true;
            t.done = true;
            t.settledAt = f.at();
        } else if (o != null) {
            t.settled = true;
            t.done = true;
            t.settledAt = pass.now;
        }
        pass.writes.uncordonIfOurs(t);
        pass.writes.release(t, o, ev);
    }
}
