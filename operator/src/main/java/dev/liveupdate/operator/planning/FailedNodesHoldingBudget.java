package dev.liveupdate.operator.planning;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Failed nodes that hold this plan's unavailability budget. A node that failed after its reboot instruction is left
 * cordoned for a person (its state after a lost reboot or a wrong kernel is unknown) and counts against
 * {@code maxUnavailable} while it is cordoned or NotReady: against this plan's, and against every other plan that
 * selects it. When such nodes alone use up the budget, nothing the plan
 * waits for will free it: the plan is stalled on a person, and says which nodes to look at and what releases them.
 * A person who uncordons such a node puts it back in service: from then on it counts by Ready and cordon alone (see
 * {@link UnavailabilityBudget}), it stays Failed in the plan's status, and the rollout goes on.
 */
final class FailedNodesHoldingBudget {
    static final String REASON = "FailedNodesHoldBudget";
    private static final int NAMED = 5;

    private FailedNodesHoldingBudget() {
    }

    /** A settled failure after the reboot instruction: the node is left as it is for a person. */
    static boolean leftForAPerson(Tracked t) {
        return t.held && t.bucket == NodeBucket.FAILED && !t.disruptive && t.failure != null && t.failure.rebooted();
    }

    /** A node another plan holds after a failure there, past its reboot instruction: left for a person as well. */
    static boolean leftForAPersonByAnotherPlan(Tracked t, String uid) {
        LunView l = t.lun();
        return l != null && !l.free() && !l.heldBy(uid) && l.ledger() != null && l.ledger().failure() != null
                && l.ledger().failure().rebooted();
    }

    /** What the budget waits for, naming the failed nodes among the unavailable; marks the pass stalled when they alone use it up. */
    static String waitingFor(PassContext pass, UnavailabilityBudget budget) {
        String base = "unavailability budget: " + budget.unavailable() + "/" + budget.max() + " unavailable";
        List<Tracked> holding = pass.tracked.stream()
                .filter(t -> t.node() != null && t.node().unavailable()
                        && (leftForAPerson(t) || leftForAPersonByAnotherPlan(t, pass.uid)))
                .sorted(RolloutOrder.BY_NAME).toList();
        if (holding.isEmpty()) {
            return base;
        }
        if (holding.size() >= budget.max()) {
            pass.stalledOn = REASON;
        }
        String named = holding.stream().limit(NAMED)
                .map(t -> t.name() + " (" + why(t) + (t.node().ready() ? "" : ", NotReady") + ")")
                .collect(Collectors.joining(", "));
        String more = holding.size() > NAMED ? " and " + (holding.size() - NAMED) + " more" : "";
        return base + ", " + holding.size() + " of them failed after the reboot instruction and left cordoned for a"
                + " person: " + named + more + "; look at each, and once it is healthy uncordon it (kubectl uncordon"
                + " NODE; it stays Failed in its plan) to let the rollout go on, or cancel the plan";
    }

    private static String why(Tracked t) {
        if (t.failure != null) {
            return t.failure.reason();
        }
        LunView l = t.lun();
        return l.ledger().failure().reason() + " in LiveUpdate " + Texts.orElse(l.instructionPlanName(), l.instructionPlan());
    }
}
