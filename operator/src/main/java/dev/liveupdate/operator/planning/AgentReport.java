package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.StagedArtifact;
import java.util.List;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/**
 * The agent's side of a LiveUpdateNode (its status), flattened.
 *
 * @param planUid            plan whose instruction {@code phase} reports on (null when idle)
 * @param observedGeneration LiveUpdateNode metadata.generation the agent last acted on (null: agent does not say)
 * @param lastUpdatePlanUid  plan of the agent's last completed update (status.lastUpdate.plan.uid)
 * @param lastUpdateResult   how that update ended
 * @param prepareRestarts    how often the preparation for {@code planUid} started over after an agent restart (null: never)
 * @param preflight          what fleet preflight checks the plan against (null: the agent does not report it)
 * @param staging            the agent's staged kernel artifacts (status.staging; null: none)
 */
public record AgentReport(NodePhase phase, String planUid, Long observedGeneration, Boolean capable,
        String incapableReason, String bootID, String kernelRelease, String reason, String message,
        Long blackoutMillis, String lastUpdatePlanUid, UpdateResult lastUpdateResult, Integer prepareRestarts,
        PreflightFacts preflight, List<StagedArtifact> staging) {
    public AgentReport(NodePhase phase, String planUid, Long observedGeneration, Boolean capable, String incapableReason,
            String bootID, String kernelRelease, String reason, String message, Long blackoutMillis,
            String lastUpdatePlanUid, UpdateResult lastUpdateResult, Integer prepareRestarts, PreflightFacts preflight) {
        this(phase, planUid, observedGeneration, capable, incapableReason, bootID, kernelRelease, reason, message,
                blackoutMillis, lastUpdatePlanUid, lastUpdateResult, prepareRestarts, preflight, null);
    }


    public AgentReport(NodePhase phase, String planUid, Long observedGeneration, Boolean capable, String incapableReason,
            String bootID, String kernelRelease, String reason, String message, Long blackoutMillis,
            String lastUpdatePlanUid, UpdateResult lastUpdateResult, Integer prepareRestarts) {
        this(phase, planUid, observedGeneration, capable, incapableReason, bootID, kernelRelease, reason, message,
                blackoutMillis, lastUpdatePlanUid, lastUpdateResult, prepareRestarts, null);
    }

    public AgentReport(NodePhase phase, String planUid, Long observedGeneration, Boolean capable, String incapableReason,
            String bootID, String kernelRelease, String reason, String message, Long blackoutMillis,
            String lastUpdatePlanUid, UpdateResult lastUpdateResult) {
        this(phase, planUid, observedGeneration, capable, incapableReason, bootID, kernelRelease, reason, message,
                blackoutMillis, lastUpdatePlanUid, lastUpdateResult, null, null);
    }

    /** The agent serves this plan's restore (Restoring or Updated): the files are back, FINISH not sent yet. */
    public boolean restoringFor(String uid) {
        return uid.equals(planUid) && (phase == NodePhase.Restoring || phase == NodePhase.Updated);
    }
}
