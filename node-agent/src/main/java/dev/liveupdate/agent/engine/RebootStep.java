package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.BootTransition;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Protocol step 4, guarded by invariants 1 and 6: the prepared node reboots into the new kernel, once per plan, and only
 * after the API server acknowledged the Rebooting status and the intent is durable on the host disk (the kexec does no
 * clean shutdown, so what is not written before is gone).
 */
final class RebootStep {
    private static final Logger LOG = Logger.getLogger(RebootStep.class.getName());

    private final EngineContext ctx;
    private final ProcessState state;
    private final Kexec kexec;
    private final Outcomes outcomes;
    private final NodeReport nodeReport;
    private final PlanCheck planCheck;
    private final FreezeBarrier freeze;

    RebootStep(EngineContext ctx, ProcessState state, Kexec kexec, Outcomes outcomes, NodeReport nodeReport, PlanCheck planCheck) {
        this.ctx = ctx;
        this.state = state;
        this.kexec = kexec;
        this.outcomes = outcomes;
        this.nodeReport = nodeReport;
        this.planCheck = planCheck;
        this.freeze = new FreezeBarrier(ctx.notices, ctx.clock);
    }

    /** Called with this boot's run Prepared for the instruction's plan. Returns only when the kexec did not happen. */
    void reboot(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        StatusReporter reporter = state.reporter;
        OutgoingRun outgoing = state.outgoing;
        if (ctx.local.ledger().rebootedFor(plan.getUid())) {
            reporter.phase(plan, NodePhase.Failed, "RebootAlreadyIssued", "a reboot was already issued for plan " + plan.getName()
                    + "; a node never reboots twice for one plan (invariant 6)");
            return;
        }
        List<String> violations = outgoing.rebootViolations(i);
        if (!violations.isEmpty()) {
            outgoing.fail("RebootRefused", "refusing to reboot: " + String.join("; ", violations));
            reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
            outcomes.record(plan, UpdateResult.Failed, "RebootRefused", Times.format(outgoing.startedAt));
            return;
        }
        // Invariant 8: asked before Rebooting is reported (no Rebooting/Prepared flapping while the answer is no or
        // unknown) and again, fresh, right before the kexec (the plan may have gone during the status write).
        if (!planConfirmed(i, false)) {
            return;
        }
        // The workloads pause last, right before the status write and the kexec, so they are paused no longer than needed.
        FreezeBarrier.Result frozen = freeze.freeze(i);
        if (frozen.abort()) {
            outgoing.fail(FreezeBarrier.TIMEOUT_REASON, "not rebooting: the freeze before the kexec timed out, " + frozen.summary()
                    + ". The sessions are still held; the plan cancels or finishes the node to release them");
            freeze.thaw(frozen, outgoing.failure.reason(), outgoing.failure.message());
            reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
            outcomes.record(plan, UpdateResult.Failed, outgoing.failure.reason(), Times.format(outgoing.startedAt));
            return;
        }
        String issuedAt = Times.now(ctx.clock);
        LiveUpdateNodeStatus s = reporter.status();
        BootTransition boot = new BootTransition();
        boot.setBootIDBefore(ctx.bootId);
        boot.setReleaseBefore(ctx.release);
        s.setBoot(boot);
        Blackout blackout = new Blackout();
        if (frozen.outcome() != FreezeBarrier.Outcome.NO_SUBSCRIBERS) {
            blackout.setFreezeStartedAt(Times.format(frozen.startedAt()));
            blackout.setFreezeMillis(frozen.millis());
            blackout.setFreezeResult(frozen.summary());
        }
        blackout.setRebootIssuedAt(issuedAt);
        s.setBlackout(blackout);
        reporter.phase(plan, NodePhase.Rebooting, null, "reboot(KEXEC) into " + i.getKernel().getRelease() + " issued at " + issuedAt);
        nodeReport.update();
        try {
            reporter.flushAndWait();
        } catch (Exception e) {
            // No acknowledgement, no reboot: the report of where the node is must survive the kexec.
            reporter.phase(plan, NodePhase.Prepared, null, "waiting for the API server to acknowledge Rebooting before the kexec: " + e.getMessage());
            s.setBlackout(null);
            freeze.thaw(frozen, "StatusNotAcknowledged", "the API server did not acknowledge Rebooting; the agent will freeze again before it retries");
            LOG.log(Level.WARNING, "status write before the reboot not acknowledged; will retry", e);
            return;
        }
        if (!planConfirmed(i, true)) {
            s.setBlackout(null);
            s.setBoot(null);
            freeze.thaw(frozen, "PlanNotConfirmed", "the plan could not be confirmed right before the kexec");
            return;
        }
        ctx.local.saveUpdate(outgoing.record(issuedAt));
        ctx.local.recordReboot(new RebootLedger.Entry(plan.getName(), plan.getUid(), plan.getGeneration() == null ? 0 : plan.getGeneration(), ctx.bootId, issuedAt));
        LOG.info(() -> "sync; reboot(LINUX_REBOOT_CMD_KEXEC) for plan " + plan.getName());
        try {
            kexec.execute();
            outgoing.fail("RebootFailed", "reboot(KEXEC) returned without rebooting; not retried for this plan (invariant 6)");
        } catch (ErrnoException e) {
            outgoing.fail("RebootFailed", "reboot(KEXEC) failed: " + e.getMessage() + "; not retried for this plan (invariant 6)."
                    + " The sessions are still held; finish or clear the instruction to release them");
        }
        freeze.thaw(frozen, outgoing.failure.reason(), outgoing.failure.message());
        reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
        outcomes.record(plan, UpdateResult.Failed, outgoing.failure.reason(), Times.format(outgoing.startedAt));
    }

    /** False (and the node reported Failed, or waiting in Prepared) unless the API server confirms the plan now. */
    private boolean planConfirmed(NodeInstruction i, boolean fresh) {
        PlanAuthority.Answer a = planCheck.confirm(i, fresh);
        PlanReference plan = i.getPlan();
        OutgoingRun outgoing = state.outgoing;
        switch (a.verdict()) {
            case CONFIRMED -> {
                return true;
            }
            case REFUSED -> {
                // The sessions stay held, as after any refused reboot: clearing or cancelling the instruction releases them.
                outgoing.fail(PlanCheck.REASON, PlanCheck.refusal(i, a, "the kexec"));
                state.reporter.phase(plan, NodePhase.Failed, outgoing.failure.reason(), outgoing.failure.message());
                outcomes.record(plan, UpdateResult.Failed, PlanCheck.REASON, Times.format(outgoing.startedAt));
                return false;
            }
            default -> {
                state.reporter.phase(plan, NodePhase.Prepared, null, PlanCheck.waiting(i, a, "the kexec"));
                return false;
            }
        }
    }
}
