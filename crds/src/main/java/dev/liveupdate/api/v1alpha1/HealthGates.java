package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What must hold on a node after its restore, before it is finished, uncordoned and counted done. A gate that does
 * not hold within the timeout fails the node, which stays cordoned and held for a person, as any failure after the
 * reboot does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.pods) && size(self.pods) > 0) || has(self.nodeReadyFor) || has(self.checkPod)", message = "healthGates needs at least one gate: pods (selectors of pods that must be Ready on the node again), nodeReadyFor or checkPod")
public class HealthGates {
    @Size(max = 8)
    @ValidationRule(value = "self.all(g, self.exists_one(o, o.name == g.name))", message = "health gate names must be unique within a plan")
    @JsonPropertyDescription("Pods that must be Ready again on the node (e.g. the VM launcher pods): every matching pod scheduled there is Ready, none has failed or is being deleted.")
    private List<PodHealthGate> pods;

    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long the node must have been Ready, counted from the moment it was verified in the new kernel (e.g. 60s). Absent: Ready once is enough.")
    private String nodeReadyFor;

    @JsonPropertyDescription("A check run on the node (a Job bound to it) that must exit 0. Needs the operator's check namespace (chart value operator.healthChecks.namespace).")
    private CheckPod checkPod;

    @Default("10m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long the gates may take to hold, counted from the moment the node was verified in the new kernel; then the node fails with reason HealthGateFailed and the gate that did not hold.")
    private String timeout;

    public List<PodHealthGate> getPods() {
        return pods;
    }

    public void setPods(List<PodHealthGate> pods) {
        this.pods = pods;
    }

    public String getNodeReadyFor() {
        return nodeReadyFor;
    }

    public void setNodeReadyFor(String nodeReadyFor) {
        this.nodeReadyFor = nodeReadyFor;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public CheckPod getCheckPod() {
        return checkPod;
    }

    public void setCheckPod(CheckPod checkPod) {
        this.checkPod = checkPod;
    }
}
