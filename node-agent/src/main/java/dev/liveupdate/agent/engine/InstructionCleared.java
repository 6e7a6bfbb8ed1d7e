package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.util.logging.Logger;

/**
 * The node has no instruction (the plan let go of it, or none ever held it): release a preparation in progress, keep
 * serving a restore in progress, and otherwise report Idle (saying so when a failed restore still holds files).
 */
final class InstructionCleared {
    private static final Logger LOG = Logger.getLogger(InstructionCleared.class.getName());

    private final EngineContext ctx;
    private final ProcessState state;
    private final RestoreStep restore;
    private final HeldRestore heldRestore;

    InstructionCleared(EngineContext ctx, ProcessState state, RestoreStep restore, HeldRestore heldRestore) {
        this.ctx = ctx;
        this.state = state;
        this.restore = restore;
        this.heldRestore = heldRestore;
    }

    void apply() {
        if (state.outgoing != null) {
            PlanReference plan = state.outgoing.plan;
            state.dropOutgoing();
            ctx.local.clearUpdate();
            state.status().setSessions(null);
            LOG.info(() -> "the instruction of plan " + plan.getName() + " was cleared; released its staged sessions and kernel");
        }
        IncomingRun incoming = state.incoming;
        if (incoming != null && (incoming.phase == NodePhase.Restoring || incoming.phase == NodePhase.Updated)) {
            // Keep serving the restored files; FINISH needs an instruction (invariant 3 is checked then).
            restore.report(incoming.plan);
            return;
        }
        if (heldRestore.reportsIdle()) {
            return;
        }
        if (state.status().getPhase() != NodePhase.Idle) {
            state.reporter.phase(null, NodePhase.Idle, null, "no plan holds this node");
        }
    }
}
