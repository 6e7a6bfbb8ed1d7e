package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.Generation;

/**
 * Step Cancelled before the kexec: undo the preparation (close the sessions, unload the staged kernel, CANCEL on
 * generation A), or what a dead process left of one. Workload registrations stay for the next plan.
 */
final class CancelStep {
    private final EngineContext ctx;
    private final ProcessState state;
    private final StickyPhase sticky;
    private final Outcomes outcomes;

    CancelStep(EngineContext ctx, ProcessState state, StickyPhase sticky, Outcomes outcomes) {
        this.ctx = ctx;
        this.state = state;
        this.sticky = sticky;
        this.outcomes = outcomes;
    }

    void cancel(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        if (sticky.outcome(plan, NodePhase.Cancelled)) {
            return;
        }
        String started = state.outgoing != null ? Times.format(state.outgoing.startedAt) : null;
        if (state.outgoing != null) {
            state.dropOutgoing();
        } else {
            OutgoingRun.releaseLeftovers(ctx);
        }
        ctx.local.clearUpdate();
        state.status().setSessions(null);
        state.reporter.phase(plan, NodePhase.Cancelled, null, "cancelled: sessions released, staged kernel unloaded" + (ctx.device.device() != null
                && ctx.device.device().generation() == Generation.A ? ", device back to NORMAL" : ""));
        outcomes.record(plan, UpdateResult.Cancelled, null, started);
    }
}
