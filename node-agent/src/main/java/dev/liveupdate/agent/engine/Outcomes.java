package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateOutcome;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/** Writes {@code status.lastUpdate}, how a plan ended on this node: one place for every step that ends one. */
final class Outcomes {
    private final EngineContext ctx;
    private final ProcessState state;

    Outcomes(EngineContext ctx, ProcessState state) {
        this.ctx = ctx;
        this.state = state;
    }

    void record(PlanReference plan, UpdateResult result, String reason, String startedAt) {
        UpdateOutcome o = new UpdateOutcome();
        o.setPlan(plan);
        o.setResult(result);
        o.setReason(reason);
        o.setKernelRelease(ctx.release);
        o.setStartedAt(startedAt);
        o.setCompletedAt(Times.now(ctx.clock));
        if (result == UpdateResult.Finished && state.incoming != null) {
            o.setBlackoutMillis(state.incoming.blackoutMillis());
        }
        state.status().setLastUpdate(o);
    }
}
