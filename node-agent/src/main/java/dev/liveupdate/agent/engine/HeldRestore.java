package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.logging.Logger;

/**
 * A restore that failed after this boot's kexec leaves its files in the kernel until a person releases them (the
 * workloads may still retrieve them). While that lasts the node takes no new update, says so in the RestoreHeld
 * condition and in Idle, and acts on the discard-unrestored annotation that releases them.
 */
final class HeldRestore {
    private static final Logger LOG = Logger.getLogger(HeldRestore.class.getName());
    /** Condition type: True while the kernel holds the files of a failed restore (until a person releases them). */
    static final String CONDITION = "RestoreHeld";

    private final String nodeName;
    private final EngineContext ctx;
    private final ProcessState state;
    private final Outcomes outcomes;
    private final EventSink events;
    /** A person's request to discard a failed restore (a plan uid), from the LiveUpdateNode's annotation. */
    private String discardRequest;
    private String ignoredDiscardRequest;

    HeldRestore(String nodeName, EngineContext ctx, ProcessState state, Outcomes outcomes, EventSink events) {
        this.nodeName = nodeName;
        this.ctx = ctx;
        this.state = state;
        this.outcomes = outcomes;
        this.events = events;
    }

    /** The annotation's value (a plan uid), or null when it is absent. */
    void requestDiscard(String planUid) {
        discardRequest = planUid == null || planUid.isBlank() ? null : planUid.trim();
    }

    /** The restore after this boot's kexec failed and nobody released what the kernel still holds. */
    boolean holds() {
        return state.incoming != null && state.incoming.phase == NodePhase.Failed;
    }

    /** Acts on a person's discard request for this boot's failed restore (see the annotation's doc). */
    void discardIfRequested() {
        IncomingRun incoming = state.incoming;
        if (discardRequest == null || incoming.phase != NodePhase.Failed) {
            return;
        }
        if (!discardRequest.equals(incoming.plan.getUid())) {
            if (!discardRequest.equals(ignoredDiscardRequest)) {
                ignoredDiscardRequest = discardRequest;
                events.event(true, "DiscardIgnored", "annotation " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=" + discardRequest
                        + " names no failed restore here: the failed plan is " + incoming.plan.getName() + " (uid " + incoming.plan.getUid() + ")");
            }
            return;
        }
        Failure before = incoming.failure;
        try {
            incoming.discardOnRequest();
        } catch (ErrnoException e) {
            incoming.fail("FinishFailed", "FINISH for the discard request failed: " + e.getMessage());
            return;
        }
        ctx.local.clearUpdate();
        ctx.local.clearRestore();
        String what = "discarded on request (" + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "): FINISH sent after "
                + before.reason() + "; files no workload took back from sessions " + incoming.discarded + " are gone";
        LOG.warning(() -> "plan " + incoming.plan.getName() + ": " + what);
        events.event(true, "DiscardedOnRequest", what);
    }

    /**
     * A new kexec would end what the failed restore still holds (generation B would even let it happen): no new update
     * until a person has saved or released those files. @return true when the plan was refused
     */
    boolean refusesNewUpdate(PlanReference plan) {
        if (!holds() || state.outgoing != null) {
            return false;
        }
        String why = describe() + "; another kexec would destroy them. Let workloads retrieve them, then release them with: "
                + releaseCommand();
        if (state.status().getPhase() != NodePhase.Failed || !StickyPhase.samePlanUid(state.status().getPlan(), plan)) {
            outcomes.record(plan, UpdateResult.Failed, "UnreleasedRestore", Times.now(ctx.clock));
        }
        state.reporter.phase(plan, NodePhase.Failed, "UnreleasedRestore", why);
        return true;
    }

    /** The plan let go, but the kernel still holds what its restore did not give back: say so, and how to end it. @return true when it does */
    boolean reportsIdle() {
        if (!holds()) {
            return false;
        }
        state.reporter.phase(null, NodePhase.Idle, "UnreleasedRestore", "no plan holds this node, but " + describe()
                + "; workloads can still retrieve them. Release them with: " + releaseCommand());
        return true;
    }

    /** Whether the kernel still holds the files of a failed restore, for kubectl and the agent's alerting gauge. */
    void report() {
        if (holds()) {
            state.reporter.condition(CONDITION, true, state.incoming.failure.reason(), describe()
                    + "; workloads can retrieve them; release with: " + releaseCommand());
        } else if (state.status().getConditions() != null
                && state.status().getConditions().stream().anyMatch(c -> CONDITION.equals(c.getType()))) {
            state.reporter.condition(CONDITION, false, "Released", "no failed restore holds files on this node");
        }
    }

    private String describe() {
        IncomingRun incoming = state.incoming;
        return "the kernel still holds the files of plan " + incoming.plan.getName() + " (uid " + incoming.plan.getUid()
                + ") whose restore failed (" + incoming.failure.reason() + ")";
    }

    /** What a person runs to release a held restore. */
    private String releaseCommand() {
        return "kubectl annotate lun " + nodeName + " " + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "="
                + state.incoming.plan.getUid();
    }
}
