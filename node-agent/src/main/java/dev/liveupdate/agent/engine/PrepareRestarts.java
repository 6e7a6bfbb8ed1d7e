package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.logging.Logger;

/**
 * Self-healing before the kexec: a preparation whose agent process died in this boot, before any reboot was issued for
 * its plan, starts over instead of failing the node. Its sessions died with the process (the kernel destroys a session
 * when its last fd closes), but the workloads still hold their memory and hand their files over again to the new
 * process, so nothing is lost. An agent restart (DaemonSet image update, OOM kill, eviction) then costs a preparation,
 * not a rollout.
 *
 * <p>Bounded: the count lives in {@code status.prepareRestarts} (in the cluster, so it survives this process and the
 * operator) and the bound comes with the instruction ({@code maxPrepareRestarts}, from the plan's strategy). One
 * restart more than the bound fails the node with {@link #EXCEEDED}. Keeps nothing itself (the status is the count), so
 * {@link Recovery} and {@link PrepareStep} each hold their own. The re-prepared run is an ordinary
 * {@link OutgoingRun}: invariant 1 is checked on the sessions it created, never on the ones that died.
 */
final class PrepareRestarts {
    private static final Logger LOG = Logger.getLogger(PrepareRestarts.class.getName());
    /** Reason of the Preparing report right after a restart, until the new preparation starts. */
    static final String RESTARTED = "AgentRestarted";
    /** Reason of the Failed report once the restarts exceed the bound. */
    static final String EXCEEDED = "PrepareRestartsExceeded";
    /** The bound when the instruction does not carry one (an operator older than the field). */
    static final int DEFAULT_MAX = 3;

    private final EngineContext ctx;
    private final ProcessState state;
    private final Outcomes outcomes;

    PrepareRestarts(EngineContext ctx, ProcessState state, Outcomes outcomes) {
        this.ctx = ctx;
        this.state = state;
        this.outcomes = outcomes;
    }

    /**
     * Called by {@link Recovery} when {@code r} is a preparation of this boot that no reboot was issued for: count the
     * restart and report the node Preparing again. What the dead process left (staged kernel, PREPARE on A, the
     * record) is released by the caller.
     */
    void preparationLost(UpdateRecord r) {
        PlanReference plan = IncomingRun.planOf(r);
        LiveUpdateNodeStatus s = state.status();
        int count = countFor(plan) + 1;
        String lost = r.sessions().isEmpty() ? "" : " (sessions " + String.join(", ", r.sessions().stream().map(UpdateRecord.SessionRecord::name).toList())
                + " were destroyed with it)";
        state.reporter.phase(plan, NodePhase.Preparing, RESTARTED, "the agent restarted before the kexec, in the same boot" + lost
                + "; no reboot was issued for this plan, so the preparation starts over and the workloads hand their files over again"
                + " (restart " + count + ")");
        s.setPrepareRestarts(count);
        // Nothing of the dead run stands any more: not its sessions, not a reboot it was about to issue.
        s.setSessions(null);
        s.setBoot(null);
        s.setBlackout(null);
        LOG.info(() -> "preparation of plan " + plan.getName() + " lost with the previous agent process in boot " + r.bootIDBefore()
                + "; starting it over (restart " + count + ")");
    }

    /**
     * Before a new run starts for {@code i}: false, and the node reported Failed, when the restarts of its plan exceeded
     * the instruction's bound.
     */
    boolean mayStart(NodeInstruction i) {
        int count = countFor(i.getPlan());
        int max = max(i);
        if (count <= max) {
            return true;
        }
        PlanReference plan = i.getPlan();
        state.reporter.phase(plan, NodePhase.Failed, EXCEEDED, "the agent restarted " + count + " times before the kexec while preparing plan "
                + plan.getName() + " (strategy.maxPrepareRestarts is " + max + "); find out why it restarts (kubectl describe pod / previous"
                + " logs of the agent: OOM kill, eviction, crash), then raise strategy.maxPrepareRestarts or cancel the plan");
        state.status().setSessions(null);
        outcomes.record(plan, UpdateResult.Failed, EXCEEDED, Times.now(ctx.clock));
        return false;
    }

    /** Words for the Preparing message of a run that started over, or empty for a first run. */
    String note(NodeInstruction i) {
        int count = countFor(i.getPlan());
        return count == 0 ? "" : " (again, after agent restart " + count + " of at most " + max(i) + ")";
    }

    /** The restarts counted for {@code plan}: the status counts for its plan only. */
    private int countFor(PlanReference plan) {
        LiveUpdateNodeStatus s = state.status();
        Integer n = s.getPrepareRestarts();
        return n == null || !StickyPhase.samePlanUid(s.getPlan(), plan) ? 0 : n;
    }

    static int max(NodeInstruction i) {
        Integer m = i.getMaxPrepareRestarts();
        return m == null ? DEFAULT_MAX : Math.max(0, m);
    }
}
