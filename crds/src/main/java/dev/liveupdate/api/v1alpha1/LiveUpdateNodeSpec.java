package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Written by the operator (the agent sets only nodeName, when it creates the object). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.instruction) || !has(self.instruction) || self.instruction.plan.uid == oldSelf.instruction.plan.uid",
        message = "this node is held by another LiveUpdate: a plan may write an instruction only into a LiveUpdateNode that carries none (clear spec.instruction first)")
@ValidationRule(value = "!has(oldSelf.instruction) || !has(self.instruction) || oldSelf.instruction.step != 'Rebooted' || self.instruction.step in ['Rebooted', 'Finished']",
        message = "a node told to reboot can only be finished next, never prepared again or cancelled")
public class LiveUpdateNodeSpec {
    @Required
    @ValidationRule(value = "self == oldSelf", message = "nodeName is immutable")
    @JsonPropertyDescription("The Node this object describes; equals metadata.name.")
    private String nodeName;

    @JsonPropertyDescription("The current instruction. Absent when no plan holds the node; the operator clears it when a plan is done with the node.")
    private NodeInstruction instruction;

    @io.fabric8.generator.annotation.Size(max = 8)
    @JsonPropertyDescription("Kernel artifacts to download into the agent's staging directory ahead of the waves (plans with kernel.url). Written by the operator; staging never changes the node's running state.")
    private java.util.List<StageRequest> stage;

    public java.util.List<StageRequest> getStage() {
        return stage;
    }

    public void setStage(java.util.List<StageRequest> stage) {
        this.stage = stage;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public NodeInstruction getInstruction() {
        return instruction;
    }

    public void setInstruction(NodeInstruction instruction) {
        this.instruction = instruction;
    }
}
