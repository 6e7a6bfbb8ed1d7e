package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.StageRequest;
import java.util.List;

/**
 * One write the planner asks for. LiveUpdateNode writes carry the resourceVersion the decision was based on, so a
 * write made on stale information fails with a conflict instead of acting on it. At most one LiveUpdateNode write per
 * node per pass; a Node write may come before it and, when it fails, the node's later actions are skipped.
 */
public sealed interface NodeAction {
    String node();

    /** Optional event to post once the write succeeded. */
    PlanEvent event();

    /** Write the instruction {@code step} for the plan's current generation, together with the ledger. */
    record IssueStep(String node, String lunResourceVersion, NodeStep step, Ledger ledger, PlanEvent event)
            implements NodeAction {
    }

    /** Rewrite only the ledger annotation (a failure or a settled time), leaving the instruction as it is. */
    record UpdateLedger(String node, String lunResourceVersion, Ledger ledger, PlanEvent event) implements NodeAction {
    }

    /** Clear the instruction and the ledger; store {@code outcome} (when not null) under the plan's outcome key. */
    record Release(String node, String lunResourceVersion, Outcome outcome, Long blackoutMillis, PlanEvent event)
            implements NodeAction {
    }

    /** Drop the plan's outcome annotation (plan deletion). */
    record ForgetOutcome(String node, String lunResourceVersion) implements NodeAction {
        @Override
        public PlanEvent event() {
            return null;
        }
    }

    /** Replace spec.stage (the kernel artifacts the node's agent stages ahead of its wave), leaving the rest as it is. */
    record SetStage(String node, String lunResourceVersion, List<StageRequest> stage) implements NodeAction {
        @Override
        public PlanEvent event() {
            return null;
        }
    }

    /** Set spec.unschedulable and the cordoned-by annotation in one request (only on a schedulable node). */
    record Cordon(String node, String nodeResourceVersion) implements NodeAction {
        @Override
        public PlanEvent event() {
            return null;
        }
    }

    /** Clear spec.unschedulable and the cordoned-by annotation (only on a node whose annotation names this plan). */
    record Uncordon(String node, String nodeResourceVersion) implements NodeAction {
        @Override
        public PlanEvent event() {
            return null;
        }
    }
}
