package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/**
 * How a held node settles for the current target: at a staged target (Prepared or Updated, instruction kept), or
 * failed. A failed node stays held, so its LiveUpdateNode keeps showing the failure, until the plan winds down.
 */
final class HeldSettling {
    private final PassContext pass;

    HeldSettling(PassContext pass) {
        this.pass = pass;
    }

    /** Settled at a staged target; the time is written to the ledger once, so it survives restarts (soak). */
    void settleAtTarget(Tracked t) {
        t.settled = true;
        t.done = true;
        t.reachedTarget = true;
        if (t.ledger.settledAt() == null) {
            t.settledAt = pass.now;
            pass.writes.updateLedger(t, t.ledger.withSettledAt(pass.now), null);
        } else {
            t.settledAt = t.ledger.settledAt();
        }
    }

    /** The agent failed to prepare, or did not report Prepared in time; null while neither. */
    Failure prepareFailure(Tracked t) {
        PlanSettings s = pass.settings;
        if (t.agentPhase == NodePhase.Failed) {
            AgentReport a = t.lun().agent();
            return new Failure(Texts.orElse(a.reason(), Reasons.PREPARE_FAILED),
                    Texts.orElse(a.message(), "the agent reported Failed while preparing"), pass.now, false);
        }
        if (t.agentPhase != NodePhase.Prepared && pass.expired(t, s.prepareTimeout())) {
            return new Failure(Reasons.PREPARE_TIMEOUT, "the agent did not report Prepared within "
                    + Texts.human(s.prepareTimeout()) + " (last phase: " + Texts.phaseOf(t, pass.uid) + ")", pass.now,
                    false);
        }
        return null;
    }

    /**
     * A node that failed before its reboot is held, like any failed node, so its LiveUpdateNode keeps showing the
     * agent's failure until the plan is cancelled or deleted. When the agent itself reported Failed only the
     * ledger is written; when it is still busy (timeout) it is told Cancelled so it stops and releases.
     */
    void heldPrepareFailure(Tracked t, Failure f, boolean windDown) {
        boolean recorded = t.failure != null;
        t.failure = f;
        t.bucket = NodeBucket.FAILED;
        t.settled = true;
        t.done = true;
        t.settledAt = f.at();
        pass.writes.uncordonIfOurs(t);
        if (windDown) {
            pass.writes.release(t, new Outcome(UpdateResult.Failed, f.reason(), f.message(), t.wave,
                    t.ledger.startedAt(), f.at(), false), null);
            return;
        }
        if (recorded) {
            return;
        }
        PlanEvent ev = PlanEvent.warning("NodeFailed", "node " + t.name() + " failed to prepare: " + f.reason()
                + ": " + f.message());
        if (t.agentPhase == NodePhase.Failed) {
            pass.writes.updateLedger(t, t.ledger.withFailure(f), ev);
        } else {
            pass.writes.issue(t, NodeStep.Cancelled, t.ledger.withFailure(f)
                    .withCancelReason(Reasons.CANCEL_FAILED_NODE).withStep(pass.now), ev);
        }
    }

    /**
     * Records a failure after the reboot instruction (in the ledger, with an event). A node disruptive until now stays
     * counted in this pass: the record may not land (a 409 against the agent's own status write), and only once it is
     * read back does the node count by Ready and cordon alone.
     */
    void fail(Tracked t, Failure f) {
        t.failure = f;
        t.bucket = NodeBucket.FAILED;
        t.settled = true;
        t.done = true;
        t.settledAt = f.at();
        uncordonIfAbortedBeforeKexec(t);
        pass.writes.updateLedger(t, t.ledger.withFailure(f), PlanEvent.warning("NodeFailed",
                "node " + t.name() + " failed: " + f.reason() + ": " + f.message()));
    }

    /** Nothing happened to a node whose agent failed before the kexec: it is not left cordoned for a person. */
    private void uncordonIfAbortedBeforeKexec(Tracked t) {
        if (AbortedBeforeKexec.applies(t)) {
            pass.writes.uncordonIfOurs(t);
        }
    }

    /**
     * A node that failed after it was asked to reboot: held (and left cordoned, unless its agent failed before the
     * kexec: {@link AbortedBeforeKexec}) until the plan winds down. If its agent
     * reports a restore for this plan after all (a timeout decided while the node was fine, e.g. on a clock jump), the
     * wind-down tells it Finished before letting go: only this plan's Finished instruction ends that restore, and a
     * cleared instruction would leave it unfinished for ever (the simulation found it). The node stays Failed.
     */
    void heldFailed(Tracked t, boolean windDown) {
        t.bucket = NodeBucket.FAILED;
        t.disruptive = false;
        t.settled = true;
        t.done = true;
        t.settledAt = t.failure.at();
        uncordonIfAbortedBeforeKexec(t); // again, should the first uncordon have lost a race
        if (windDown && t.lun().agent() != null && t.lun().agent().restoringFor(pass.uid)) {
            if (t.lun().step() != NodeStep.Finished) {
                pass.writes.issue(t, NodeStep.Finished, t.ledger.withStep(pass.now), null);
                return;
            }
            if (t.ledger.stepSince() != null && !pass.expired(t, pass.settings.finishTimeout())) {
                pass.wakeAt(t.ledger.stepSince().plus(pass.settings.finishTimeout()));
                return; // released once the agent reports Finished, Failed, or the finish timeout passes
            }
        }
        if (windDown) {
            pass.writes.uncordonIfOurs(t);
            pass.writes.release(t, new Outcome(UpdateResult.Failed, t.failure.reason(), t.failure.message(), t.wave,
                    t.ledger.startedAt(), t.failure.at(), t.failure.rebooted()), null);
        }
    }
}
