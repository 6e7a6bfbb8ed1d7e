package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/**
 * A held node told {@code Finished}: once the agent reports Finished it is uncordoned (if we cordoned it) and
 * released with its outcome in one write; a failure or the finish timeout fails it.
 */
final class HeldFinished {
    private final PassContext pass;
    private final HeldSettling settling;

    HeldFinished(PassContext pass, HeldSettling settling) {
        this.pass = pass;
        this.settling = settling;
    }

    void handle(Tracked t, boolean windDown) {
        if (t.failure != null) {
            settling.heldFailed(t, windDown);
            return;
        }
        PlanSettings s = pass.settings;
        AgentReport a = t.lun().agent();
        if (t.agentPhase == NodePhase.Finished) {
            t.bucket = NodeBucket.FINISHED;
            t.reachedTarget = true;
            t.done = true;
            t.settled = true;
            t.settledAt = pass.now;
            t.finishedByReboot = true;
            t.blackoutMillis = a.blackoutMillis();
            pass.writes.uncordonIfOurs(t);
            pass.writes.release(t, new Outcome(UpdateResult.Finished, null, null, t.wave, t.ledger.startedAt(),
                    pass.now, true, t.blackoutMillis), null);
            return;
        }
        if (t.agentPhase == NodePhase.Failed) {
            settling.fail(t, new Failure(Texts.orElse(a.reason(), Reasons.FINISH_FAILED),
                    Texts.orElse(a.message(), "the agent reported Failed while finishing"), pass.now, true));
            return;
        }
        if (pass.expired(t, s.finishTimeout())) {
            settling.fail(t, new Failure(Reasons.FINISH_TIMEOUT, "the agent did not report Finished within "
                    + Texts.human(s.finishTimeout()) + " (last phase: " + Texts.phaseOf(t, pass.uid) + ")", pass.now,
                    true));
            return;
        }
        t.bucket = NodeBucket.UPDATED;
        pass.wakeAt(t.ledger.stepSince().plus(s.finishTimeout()));
    }
}
