package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.Objects;
import java.util.Optional;

/**
 * Steps Prepared and Rebooted before the kexec (protocol step 2): decides whether this plan may prepare the node at all
 * (never after it already rebooted the node, never while a failed restore holds files), starts or resumes this boot's
 * {@link OutgoingRun}, reports its progress, and hands over to {@link RebootStep} once Prepared when the step says
 * Rebooted.
 */
final class PrepareStep {
    private final EngineContext ctx;
    private final ProcessState state;
    private final StickyPhase sticky;
    private final HeldRestore heldRestore;
    private final Outcomes outcomes;
    private final RebootStep reboot;
    private final PlanCheck planCheck;
    private final PrepareRestarts restarts;

    PrepareStep(EngineContext ctx, ProcessState state, StickyPhase sticky, HeldRestore heldRestore, Outcomes outcomes, RebootStep reboot,
                PlanCheck planCheck) {
        this.ctx = ctx;
        this.state = state;
        this.sticky = sticky;
        this.heldRestore = heldRestore;
        this.outcomes = outcomes;
        this.reboot = reboot;
        this.planCheck = planCheck;
        this.restarts = new PrepareRestarts(ctx, state, outcomes);
    }

    void prepare(NodeInstruction i, boolean thenReboot) {
        PlanReference plan = i.getPlan();
        if (sticky.failure(plan) || sticky.outcome(plan, NodePhase.Finished) || sticky.outcome(plan, NodePhase.Cancelled)) {
            return;
        }
        StatusReporter reporter = state.reporter;
        Optional<RebootLedger.Entry> rebooted = ctx.local.ledger().latestFor(plan.getUid());
        if (rebooted.isPresent() && (state.outgoing == null || !state.outgoing.plan.getUid().equals(plan.getUid()))) {
            // This plan already rebooted this node, and this process has no live preparation for it: never start over.
            reporter.phase(plan, NodePhase.Failed, "RebootAlreadyIssued", "this node already rebooted for plan " + plan.getName() + " (boot "
                    + rebooted.get().bootID() + " at " + rebooted.get().issuedAt() + ") and the agent has no restore state for it here;"
                    + " a node never reboots twice for one plan (invariant 6)");
            return;
        }
        if (heldRestore.refusesNewUpdate(plan)) {
            return;
        }
        if (state.outgoing != null && (!state.outgoing.plan.getUid().equals(plan.getUid())
                || state.outgoing.phase == NodePhase.Failed && !Objects.equals(state.outgoing.plan.getGeneration(), plan.getGeneration()))) {
            state.dropOutgoing();
        }
        if (state.outgoing == null) {
            if (!restarts.mayStart(i) || !planConfirmed(i)) {
                return;
            }
            state.outgoing = new OutgoingRun(ctx, i);
            reporter.phase(plan, NodePhase.Preparing, null, "preparing for kernel " + i.getKernel().getRelease() + restarts.note(i));
        }
        OutgoingRun outgoing = state.outgoing;
        outgoing.advance();
        switch (outgoing.phase) {
            case Failed -> {
                reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
                outcomes.record(plan, UpdateResult.Failed, outgoing.failure.reason(), Times.format(outgoing.startedAt));
            }
            case Preparing -> reporter.phase(plan, NodePhase.Preparing, outgoing.refused.any() ? RefusedRegistrations.REASON : null,
                    outgoing.progress + restarts.note(i));
            case Prepared -> {
                reporter.phase(plan, NodePhase.Prepared, null, outgoing.progress);
                if (thenReboot) {
                    reboot.reboot(i);
                }
            }
            default -> { }
        }
    }

    /**
     * Invariant 8: nothing is prepared for an instruction whose plan the API server does not confirm. Asked once per
     * preparation (when it would start); {@link RebootStep} asks again right before the kexec.
     */
    private boolean planConfirmed(NodeInstruction i) {
        PlanAuthority.Answer a = planCheck.confirm(i, false);
        switch (a.verdict()) {
            case CONFIRMED -> {
                return true;
            }
            case REFUSED -> {
                state.reporter.phase(i.getPlan(), NodePhase.Failed, PlanCheck.REASON, PlanCheck.refusal(i, a, "to prepare"));
                outcomes.record(i.getPlan(), UpdateResult.Failed, PlanCheck.REASON, Times.now(ctx.clock));
                return false;
            }
            default -> {
                state.reporter.message(PlanCheck.waiting(i, a, "preparing"));
                return false;
            }
        }
    }
}
