package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The plan's progress, written by the operator's status aggregator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LiveUpdateStatus {
    @JsonPropertyDescription("Pending, Progressing, Paused, Halted, Succeeded, Cancelled or Failed.")
    private PlanPhase phase;
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;
    @JsonPropertyDescription("Standard conditions: Ready, Progressing, Degraded, SpecValid, Conflict, and kstatus' Reconciling (the rollout can still move: Pending, Progressing, Paused) and Stalled (Halted or Failed: a person must act).")
    private List<Condition> conditions;
    @JsonPropertyDescription("Node counts per phase.")
    private NodeCounts nodeCounts;
    @JsonPropertyDescription("Finished (or target-reached) nodes over selected capable nodes, e.g. 3/5.")
    private String progress;
    @JsonPropertyDescription("1-based index of the wave in flight (the canary wave is wave 1).")
    private Integer currentWave;
    @JsonPropertyDescription("When the first node started (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the first node of currentWave started (RFC 3339).")
    private String waveStartTime;
    @JsonPropertyDescription("While the next wave waits for the soak time after the last one: when the soak ends (RFC 3339).")
    private String soakUntil;
    @JsonPropertyDescription("When the plan reached a terminal phase (RFC 3339).")
    private String completionTime;
    @Size(max = 20)
    @JsonPropertyDescription("Failed nodes with reasons (the first 20; failedNodesOmitted counts the rest).")
    private List<FailedNode> failedNodes;
    @JsonPropertyDescription("Failed nodes not listed in failedNodes because the list is bounded.")
    private Integer failedNodesOmitted;
    @JsonPropertyDescription("A one-line summary for people.")
    private String message;
    @JsonPropertyDescription("The blackouts of the finished nodes: counts, the observed percentile, the slowest nodes and, when strategy.blackoutBudget is exceeded, by what.")
    private PlanBlackout blackout;
    @JsonPropertyDescription("Fleet preflight: findings per reason over the selected nodes not started yet (condition PreflightPassed).")
    private PreflightStatus preflight;

    public PreflightStatus getPreflight() {
        return preflight;
    }

    public void setPreflight(PreflightStatus preflight) {
        this.preflight = preflight;
    }

    public PlanBlackout getBlackout() {
        return blackout;
    }

    public void setBlackout(PlanBlackout blackout) {
        this.blackout = blackout;
    }

    public PlanPhase getPhase() {
        return phase;
    }

    public void setPhase(PlanPhase phase) {
        this.phase = phase;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public NodeCounts getNodeCounts() {
        return nodeCounts;
    }

    public void setNodeCounts(NodeCounts nodeCounts) {
        this.nodeCounts = nodeCounts;
    }

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }

    public Integer getCurrentWave() {
        return currentWave;
    }

    public void setCurrentWave(Integer currentWave) {
        this.currentWave = currentWave;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public List<FailedNode> getFailedNodes() {
        return failedNodes;
    }

    public void setFailedNodes(List<FailedNode> failedNodes) {
        this.failedNodes = failedNodes;
    }

    public Integer getFailedNodesOmitted() {
        return failedNodesOmitted;
    }

    public void setFailedNodesOmitted(Integer failedNodesOmitted) {
        this.failedNodesOmitted = failedNodesOmitted;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getWaveStartTime() {
        return waveStartTime;
    }

    public void setWaveStartTime(String waveStartTime) {
        this.waveStartTime = waveStartTime;
    }

    public String getSoakUntil() {
        return soakUntil;
    }

    public void setSoakUntil(String soakUntil) {
        this.soakUntil = soakUntil;
    }
}
