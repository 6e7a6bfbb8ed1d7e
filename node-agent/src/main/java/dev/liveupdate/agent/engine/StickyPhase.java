package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.util.Objects;

/**
 * The instruction is seen again on every reconcile: once a step has ended for a plan (Failed, Finished, Cancelled),
 * these say when the reported phase stands instead of the step starting over.
 */
final class StickyPhase {
    private final EngineContext ctx;
    private final ProcessState state;

    StickyPhase(EngineContext ctx, ProcessState state) {
        this.ctx = ctx;
        this.state = state;
    }

    /** A Failed phase stays for the same plan generation; a new generation (or Cancelled) moves on. */
    boolean failure(PlanReference plan) {
        LiveUpdateNodeStatus s = state.status();
        if (s.getPhase() != NodePhase.Failed || s.getPlan() == null || !samePlanUid(s.getPlan(), plan)) {
            return false;
        }
        OutgoingRun outgoing = state.outgoing;
        if (outgoing != null && outgoing.plan.getUid().equals(plan.getUid()) && outgoing.phase != NodePhase.Failed) {
            return false;
        }
        return Objects.equals(s.getPlan().getGeneration(), plan.getGeneration()) || ctx.local.ledger().rebootedFor(plan.getUid());
    }

    /** The status already reports this phase for this plan (any generation). */
    boolean outcome(PlanReference plan, NodePhase phase) {
        LiveUpdateNodeStatus s = state.status();
        return s.getPhase() == phase && samePlanUid(s.getPlan(), plan);
    }

    static boolean samePlanUid(PlanReference a, PlanReference b) {
        return a != null && b != null && Objects.equals(a.getUid(), b.getUid());
    }
}
