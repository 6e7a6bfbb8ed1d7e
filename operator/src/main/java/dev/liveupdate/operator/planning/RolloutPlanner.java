package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import java.time.Instant;
import java.util.List;

/**
 * The rollout engine as a pure function: given a plan, the nodes it has to consider (with their LiveUpdateNodes) and
 * the time, it returns the writes to make next and the plan's status. It keeps no state between calls: everything it
 * needs to continue after a restart is in the objects it reads (instructions, ledgers, outcomes, cordon marks).
 *
 * <p>A pass composes one class per decision, in this order (docs/architecture.md, "Where to change what"):
 * {@link HeldNodeNotes} reads what the held nodes say, {@link WaveBarrier} finds broken barriers,
 * {@link HeldNodeTransition} moves each held node and {@link FreeNodeClassifier} sorts every other node,
 * {@link HaltingRules} halt on too many failures or an exceeded blackout budget, {@link RebootAdmission} asks prepared nodes to reboot within the
 * {@link UnavailabilityBudget}, {@link WaveStart} starts the next wave, {@link KernelStagingRequests} asks nodes to
 * stage a URL kernel ahead of their wave, and {@link StatusAggregator} writes the
 * status. The decisions share one {@link PassContext} and ask for writes through its {@link PlanWrites}.
 *
 * <p>Work per call is linear in the number of nodes, plus a sort of the pending nodes when a wave starts.
 */
public final class RolloutPlanner {
    /** Blocker look-ups per pass, so thousands of blocked nodes cost bounded API calls. */
    public static final int MAX_BLOCKER_CHECKS = WaveStart.MAX_BLOCKER_CHECKS;
    /** Outcome annotations dropped per pass while a plan is being deleted. */
    public static final int MAX_FORGETS_PER_PASS = PlanWrites.MAX_FORGETS_PER_PASS;

    /** The plan being evaluated. {@code previous} is its last written status (for times and transitions). */
    public record Plan(String name, String uid, long generation, boolean deleting, PlanSettings settings,
            LiveUpdateStatus previous) {
    }

    public Decision plan(Plan plan, List<NodeEntry> entries, Instant now, BlockerCheck blockers) {
        return plan(plan, entries, now, blockers, HealthProbe.NONE);
    }

    public Decision plan(Plan plan, List<NodeEntry> entries, Instant now, BlockerCheck blockers, HealthProbe health) {
        PassContext pass = new PassContext(plan, entries, now);
        pass.healthProbe = health;
        lookAtEveryNode(pass);
        UnavailabilityBudget budget = new UnavailabilityBudget(pass);
        RebootAdmission reboots = new RebootAdmission(pass, budget, blockers);
        reboots.admit();
        reboots.uncordonWaitingNodes();
        new WaveStart(pass, blockers).start(budget.max());
        new KernelStagingRequests(pass).request();
        LiveUpdateStatus status = new StatusAggregator(plan, pass.tracked, pass.mode, now, pass.conflicts,
                pass.waitingFor, pass.stalledOn, pass.soakUntil, budget.max(), pass.blackout, pass.preflight).aggregate(pass.events);
        return new Decision(pass.writes.actions(), status, List.copyOf(pass.events), pass.requeueAfter(),
                List.copyOf(pass.waveDurations), pass.released());
    }

    /** The first half of a pass: notes read, barriers checked, held nodes moved, free ones classified, mode settled. */
    static void lookAtEveryNode(PassContext pass) {
        HeldNodeNotes notes = new HeldNodeNotes(pass);
        pass.tracked.forEach(notes::read);
        new WaveBarrier(pass).findBrokenWaves();
        HeldNodeTransition held = new HeldNodeTransition(pass);
        FreeNodeClassifier free = new FreeNodeClassifier(pass);
        for (Tracked t : pass.tracked) {
            if (t.held) {
                held.handle(t);
            } else {
                free.classify(t);
            }
        }
        HaltingRules.settle(pass);
    }
}
