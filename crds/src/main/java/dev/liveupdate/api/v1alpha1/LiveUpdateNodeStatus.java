package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written by the node's agent, and only by it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LiveUpdateNodeStatus {
    @JsonPropertyDescription("The metadata.generation the agent last acted on.")
    private Long observedGeneration;
    @JsonPropertyDescription("Idle, Preparing, Prepared, Rebooting, Restoring, Updated, Finished, Cancelled or Failed, for the instruction of plan.")
    private NodePhase phase;
    @JsonPropertyDescription("The plan whose instruction this phase reports on.")
    private PlanReference plan;
    @JsonPropertyDescription("The node's live-update capability.")
    private NodeInventory inventory;
    @JsonPropertyDescription("Sessions the agent holds for the plan.")
    private List<SessionStatus> sessions;
    @JsonPropertyDescription("Files registered by workloads for sessions no plan declares (kept, not preserved).")
    private List<Registration> unmanagedRegistrations;
    @JsonPropertyDescription("Boot IDs and kernel releases before and after the kexec.")
    private BootTransition boot;
    @JsonPropertyDescription("Blackout timestamps and duration of the current or last update.")
    private Blackout blackout;
    @JsonPropertyDescription("How the node's last live update ended.")
    private UpdateOutcome lastUpdate;
    @JsonPropertyDescription("Machine-readable reason for the phase (e.g. SessionsLost, ImageNotFound).")
    private String reason;
    @JsonPropertyDescription("What is happening, or what went wrong and what to do about it.")
    private String message;
    @JsonPropertyDescription("How many times the preparation for plan started over because the agent restarted before the kexec (same boot); absent when it never did.")
    private Integer prepareRestarts;
    @io.fabric8.generator.annotation.Size(max = 16)
    @JsonPropertyDescription("Kernel artifacts in the agent's staging directory (or on their way there), per SHA-256: those wanted (spec.stage, the instruction's URL kernel), then the recently loaded ones it keeps.")
    private List<StagedArtifact> staging;
    @JsonPropertyDescription("Standard conditions: DeviceReady, Ready.")
    private List<Condition> conditions;
    @JsonPropertyDescription("When the agent last wrote this status (RFC 3339).")
    private String lastReportTime;

    public List<StagedArtifact> getStaging() {
        return staging;
    }

    public void setStaging(List<StagedArtifact> staging) {
        this.staging = staging;
    }

    public Integer getPrepareRestarts() {
        return prepareRestarts;
    }

    public void setPrepareRestarts(Integer prepareRestarts) {
        this.prepareRestarts = prepareRestarts;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public NodePhase getPhase() {
        return phase;
    }

    public void setPhase(NodePhase phase) {
        this.phase = phase;
    }

    public PlanReference getPlan() {
        return plan;
    }

    public void setPlan(PlanReference plan) {
        this.plan = plan;
    }

    public NodeInventory getInventory() {
        return inventory;
    }

    public void setInventory(NodeInventory inventory) {
        this.inventory = inventory;
    }

    public List<SessionStatus> getSessions() {
        return sessions;
    }

    public void setSessions(List<SessionStatus> sessions) {
        this.sessions = sessions;
    }

    public List<Registration> getUnmanagedRegistrations() {
        return unmanagedRegistrations;
    }

    public void setUnmanagedRegistrations(List<Registration> unmanagedRegistrations) {
        this.unmanagedRegistrations = unmanagedRegistrations;
    }

    public BootTransition getBoot() {
        return boot;
    }

    public void setBoot(BootTransition boot) {
        this.boot = boot;
    }

    public Blackout getBlackout() {
        return blackout;
    }

    public void setBlackout(Blackout blackout) {
        this.blackout = blackout;
    }

    public UpdateOutcome getLastUpdate() {
        return lastUpdate;
    }

    public void setLastUpdate(UpdateOutcome lastUpdate) {
        this.lastUpdate = lastUpdate;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getLastReportTime() {
        return lastReportTime;
    }

    public void setLastReportTime(String lastReportTime) {
        this.lastReportTime = lastReportTime;
    }
}
