package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.StageRequest;
import java.util.List;

import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.Map;

/**
 * One LiveUpdateNode as the planner sees it.
 *
 * @param generation      metadata.generation (moves when the instruction changes)
 * @param instructionPlan uid of the plan holding the node (null when free)
 * @param step            the instruction's step (null when free)
 * @param ledger          the operator's notes for the holding plan (null when absent or unreadable)
 * @param outcomes        per plan uid, how that plan ended with this node
 */
public record LunView(String name, long generation, String resourceVersion, String instructionPlan,
        String instructionPlanName, NodeStep step, Ledger ledger, AgentReport agent, Map<String, Outcome> outcomes,
        List<StageRequest> stage) {

    /** Without staging requests. */
    public LunView(String name, long generation, String resourceVersion, String instructionPlan, String instructionPlanName,
            NodeStep step, Ledger ledger, AgentReport agent, Map<String, Outcome> outcomes) {
        this(name, generation, resourceVersion, instructionPlan, instructionPlanName, step, ledger, agent, outcomes, List.of());
    }

    /** spec.stage entries written for {@code plan} (by name). */
    public List<StageRequest> stagedFor(String plan) {
        return stage == null ? List.of() : stage.stream().filter(r -> plan.equals(r.getPlan())).toList();
    }

    public boolean heldBy(String planUid) {
        return planUid.equals(instructionPlan);
    }

    public boolean free() {
        return instructionPlan == null;
    }

    public Outcome outcome(String planUid) {
        return outcomes == null ? null : outcomes.get(planUid);
    }

    /** The agent has seen the latest instruction (or does not report observedGeneration at all). */
    public boolean agentCaughtUp() {
        return agent != null && (agent.observedGeneration() == null || agent.observedGeneration() >= generation);
    }
}
