package dev.liveupdate.operator.planning;

/**
 * What a plan may do in this pass. Deletion and cancel wind every node down; an invalid or paused plan starts no new
 * step; a plan with more failures than {@code maxFailures} is halted (no new wave, no reboot) until the limit is
 * raised. Only a NORMAL plan moves nodes forward.
 */
enum PlanMode {
    NORMAL, PAUSED, HALTED, INVALID, CANCELLING, DELETING;

    /** The mode the spec asks for, before failures are counted. */
    static PlanMode of(RolloutPlanner.Plan plan) {
        PlanSettings s = plan.settings();
        return plan.deleting() ? DELETING
                : s.cancel() ? CANCELLING
                : !s.valid() ? INVALID
                : s.paused() ? PAUSED : NORMAL;
    }

    /** The failure budget: more failed nodes than {@code maxFailures} halts a plan that was going on normally. */
    PlanMode afterFailures(int failures, int maxFailures) {
        return this == NORMAL && failures > maxFailures ? HALTED : this;
    }

    /** Whether a node may be given a new step (Prepared, Rebooted, Finished) in this pass. */
    boolean mayTakeStep() {
        return this == NORMAL;
    }

    /** Whether every held node is being returned (cancel or deletion). */
    boolean windsDown() {
        return this == CANCELLING || this == DELETING;
    }
}
