package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the node's last live update ended; kept after the instruction is cleared. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateOutcome {
    @JsonPropertyDescription("The plan it belonged to.")
    private PlanReference plan;
    @JsonPropertyDescription("Finished, Cancelled or Failed.")
    private UpdateResult result;
    @JsonPropertyDescription("Kernel release the node runs afterwards.")
    private String kernelRelease;
    @JsonPropertyDescription("Blackout in milliseconds, when the node rebooted.")
    private Long blackoutMillis;
    @JsonPropertyDescription("When the node took the plan's first instruction (RFC 3339).")
    private String startedAt;
    @JsonPropertyDescription("When it ended (RFC 3339).")
    private String completedAt;
    @JsonPropertyDescription("Reason, for Failed and Cancelled.")
    private String reason;

    public PlanReference getPlan() {
        return plan;
    }

    public void setPlan(PlanReference plan) {
        this.plan = plan;
    }

    public UpdateResult getResult() {
        return result;
    }

    public void setResult(UpdateResult result) {
        this.result = result;
    }

    public String getKernelRelease() {
        return kernelRelease;
    }

    public void setKernelRelease(String kernelRelease) {
        this.kernelRelease = kernelRelease;
    }

    public Long getBlackoutMillis() {
        return blackoutMillis;
    }

    public void setBlackoutMillis(Long blackoutMillis) {
        this.blackoutMillis = blackoutMillis;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
