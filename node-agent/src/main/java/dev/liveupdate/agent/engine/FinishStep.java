package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Step Finished (protocol step 7): after the kexec, FINISH tells the kernel the hand-over is complete, only once
 * invariant 3 allows it (the restore rules hold, see {@link IncomingRun#finish}); without a kexec it only releases what
 * was staged, and never when the node did reboot for the plan but the agent lost the proof of the restore.
 */
final class FinishStep {
    private static final Logger LOG = Logger.getLogger(FinishStep.class.getName());

    private final EngineContext ctx;
    private final ProcessState state;
    private final StickyPhase sticky;

    FinishStep(EngineContext ctx, ProcessState state, StickyPhase sticky) {
        this.ctx = ctx;
        this.state = state;
        this.sticky = sticky;
    }

    /** FINISH of this boot's restored update (phase Updated). @return true when the update is now Finished */
    boolean finishRestored(PlanReference plan) {
        IncomingRun incoming = state.incoming;
        try {
            incoming.finish();
            ctx.local.clearUpdate();
            ctx.local.clearRestore();
            LOG.info(() -> "FINISH done for plan " + plan.getName());
        } catch (ErrnoException e) {
            incoming.fail("FinishFailed", "FINISH failed: " + e.getMessage());
        }
        return incoming.phase == NodePhase.Finished;
    }

    /** Finished for a plan that did not reboot this node in a way this agent can see. */
    void finishWithoutUpdate(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (sticky.outcome(plan, NodePhase.Finished)) {
            return;
        }
        StatusReporter reporter = state.reporter;
        Optional<RebootLedger.Entry> rebooted = ctx.local.ledger().latestFor(plan.getUid());
        if (rebooted.isPresent() && !rebooted.get().bootID().equals(ctx.bootId)) {
            if (reporter.status().getPhase() != NodePhase.Failed) {
                reporter.phase(plan, NodePhase.Failed, "RestoreStateLost", "the node rebooted for plan " + plan.getName()
                        + " but the agent's restore record is gone; FINISH is not sent because nothing proves the sessions were restored (invariant 3)");
            }
            return;
        }
        if (state.outgoing != null) {
            state.dropOutgoing();
            ctx.local.clearUpdate();
        }
        if (sticky.outcome(plan, NodePhase.Failed)) {
            return;
        }
        reporter.phase(plan, NodePhase.Finished, "NotRebooted", "finished without a reboot: anything staged for the plan was released");
    }
}
