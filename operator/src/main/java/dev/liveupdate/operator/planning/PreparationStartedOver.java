package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;

/**
 * A held node whose agent restarted before the kexec and started the preparation over (the agent counts it in
 * {@code status.prepareRestarts}; it reports Preparing again after Prepared or even Rebooting). That is not a failure
 * and the node keeps its place: its wave, its step, its cordon and its share of the unavailability budget stay as they
 * were. Only the step's clock starts again, so the prepare and reboot timeouts give the new preparation the same time
 * the first one had. Each restart is noted in the ledger once, so a restarted operator does not restart the clock
 * again; the bound on restarts is the agent's ({@code maxPrepareRestarts} in the instruction, reason
 * {@code PrepareRestartsExceeded}), which then fails like any other agent failure.
 */
final class PreparationStartedOver {
    static final String EVENT = "PreparationStartedOver";

    private final PassContext pass;

    PreparationStartedOver(PassContext pass) {
        this.pass = pass;
    }

    void notice(Tracked t) {
        NodeStep step = t.lun().step();
        AgentReport a = t.lun().agent();
        if (step != NodeStep.Prepared && step != NodeStep.Rebooted || t.failure != null || a == null
                || !pass.uid.equals(a.planUid()) || a.prepareRestarts() == null || a.prepareRestarts() <= t.ledger.prepareRestarts()) {
            return;
        }
        t.ledger = t.ledger.withStep(pass.now).withPrepareRestarts(a.prepareRestarts());
        pass.writes.updateLedger(t, t.ledger, PlanEvent.normal(EVENT, "the agent on " + t.name() + " restarted before the kexec and"
                + " prepares again (restart " + a.prepareRestarts() + "); the node keeps its wave and step " + step
                + ", its timeout starts over"));
    }
}
