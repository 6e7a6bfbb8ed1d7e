package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What the operator asks this node's agent to do, on behalf of one plan generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeInstruction {
    @Required
    @JsonPropertyDescription("The plan (name, uid, generation) this instruction belongs to.")
    private PlanReference plan;

    @Required
    @JsonPropertyDescription("The desired step: Prepared, Rebooted, Finished or Cancelled.")
    private NodeStep step;

    @Required
    @JsonPropertyDescription("The plan's target kernel.")
    private KernelSpec kernel;

    @Size(max = 32)
    @JsonPropertyDescription("The plan's sessions.")
    private List<SessionSpec> sessions;

    @Default("15m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long the agent waits for required sessions to be populated before it reports Failed.")
    private String prepareTimeout;

    @JsonPropertyDescription("The plan's strategy.maxPrepareRestarts when this step was written: how many times the agent may start the preparation over after it restarted before the kexec; absent means 3.")
    private Integer maxPrepareRestarts;

    @JsonPropertyDescription("The plan's strategy.freeze when this step was written: how long the agent waits for subscribed workloads to acknowledge the freeze before the kexec, and what a miss does; absent means 10s, Abort.")
    private FreezePolicy freeze;

    @JsonPropertyDescription("When the operator wrote this step (RFC 3339): how long the node has been asked for it.")
    private String issuedAt;

    public PlanReference getPlan() {
        return plan;
    }

    public void setPlan(PlanReference plan) {
        this.plan = plan;
    }

    public NodeStep getStep() {
        return step;
    }

    public void setStep(NodeStep step) {
        this.step = step;
    }

    public KernelSpec getKernel() {
        return kernel;
    }

    public void setKernel(KernelSpec kernel) {
        this.kernel = kernel;
    }

    public List<SessionSpec> getSessions() {
        return sessions;
    }

    public void setSessions(List<SessionSpec> sessions) {
        this.sessions = sessions;
    }

    public String getPrepareTimeout() {
        return prepareTimeout;
    }

    public void setPrepareTimeout(String prepareTimeout) {
        this.prepareTimeout = prepareTimeout;
    }

    public Integer getMaxPrepareRestarts() {
        return maxPrepareRestarts;
    }

    public void setMaxPrepareRestarts(Integer maxPrepareRestarts) {
        this.maxPrepareRestarts = maxPrepareRestarts;
    }

    public FreezePolicy getFreeze() {
        return freeze;
    }

    public void setFreeze(FreezePolicy freeze) {
        this.freeze = freeze;
    }

    public String getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(String issuedAt) {
        this.issuedAt = issuedAt;
    }
}
