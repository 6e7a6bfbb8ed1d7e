package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The plan: which nodes move to which kernel, what they preserve, and how far and how fast to go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.cancel) || !oldSelf.cancel || (has(self.cancel) && self.cancel)", message = "a cancelled LiveUpdate cannot be resumed: delete it and create a new one")
public class LiveUpdateSpec {
    @Required
    @JsonPropertyDescription("Label selector of the nodes this plan updates (matchLabels and set-based matchExpressions). Use {} to select every node.")
    private LabelSelector nodeSelector;

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.kernel is immutable once set: create a new LiveUpdate to move to another kernel")
    @JsonPropertyDescription("The target kernel on the host. Immutable: a different kernel is a different plan.")
    private KernelSpec kernel;

    @Size(max = 32)
    @ValidationRule(value = "self.all(s, self.exists_one(t, t.name == s.name))", message = "session names must be unique within a plan")
    @ValidationRule(value = "self == oldSelf", message = "spec.sessions is immutable once set: create a new LiveUpdate to preserve other sessions")
    @JsonPropertyDescription("The LUO sessions every selected node preserves across the kexec. Immutable.")
    private List<SessionSpec> sessions;

    @Default("Finished")
    @ValidationRule(value = "{'Prepared': 0, 'Updated': 1, 'Finished': 2}[self] >= {'Prepared': 0, 'Updated': 1, 'Finished': 2}[oldSelf]", message = "targetPhase can only be raised (Prepared, then Updated, then Finished); to undo a staged plan set cancel: true")
    @JsonPropertyDescription("How far to take every node: Prepared (stage only, no reboot), Updated (rebooted, sessions restored, not finished) or Finished. Raising it later continues the same plan.")
    private TargetPhase targetPhase;

    @Default("{}")
    @JsonPropertyDescription("Rollout pacing: unavailability budget, canary wave, barrier, soak time, failure budget.")
    private RolloutStrategy strategy;

    @Default("false")
    @JsonPropertyDescription("Paused: no node starts a new step; nodes keep the step they have. Set back to false to resume.")
    private Boolean paused;

    @Default("false")
    @JsonPropertyDescription("Cancel the plan: nodes not yet rebooted return to normal (CANCEL, sessions released, nothing loaded), nodes already rebooted are finished. Cannot be undone.")
    private Boolean cancel;

    @JsonPropertyDescription("Maintenance window in which nodes may start. Absent means always.")
    private MaintenanceWindow window;

    @Size(max = 16)
    @JsonPropertyDescription("Pod selectors whose pods hold their node back while they run on it.")
    private List<Blocker> blockers;

    @Default("Frozen")
    @JsonPropertyDescription("Nodes that match only after the plan started (a Node created after status.startTime): Frozen (default) leaves them alone, so a plan kept in git never moves a node that joins later; Follow keeps every matching node at the target, also after the plan succeeded. Either way a node is never moved to an older kernel than it runs unless strategy.allowDowngrade.")
    private NodeJoinPolicy nodeJoin;

    @Default("Always")
    @JsonPropertyDescription("Always: cordon each node before its reboot and uncordon it afterwards (only if the operator did the cordoning). Never: leave scheduling alone.")
    private CordonPolicy cordon;

    @Default("{}")
    @JsonPropertyDescription("Per-phase timeouts; a node that exceeds one fails with the phase named in the reason.")
    private PhaseTimeouts timeouts;

    @JsonPropertyDescription("What must hold on each node after its restore, before it is finished, uncordoned and counted done: pods Ready again on the node, the node Ready for a while. Absent: a node is done once verified in the new kernel.")
    private HealthGates healthGates;

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
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

    public TargetPhase getTargetPhase() {
        return targetPhase;
    }

    public void setTargetPhase(TargetPhase targetPhase) {
        this.targetPhase = targetPhase;
    }

    public RolloutStrategy getStrategy() {
        return strategy;
    }

    public void setStrategy(RolloutStrategy strategy) {
        this.strategy = strategy;
    }

    public Boolean getPaused() {
        return paused;
    }

    public void setPaused(Boolean paused) {
        this.paused = paused;
    }

    public Boolean getCancel() {
        return cancel;
    }

    public void setCancel(Boolean cancel) {
        this.cancel = cancel;
    }

    public MaintenanceWindow getWindow() {
        return window;
    }

    public void setWindow(MaintenanceWindow window) {
        this.window = window;
    }

    public List<Blocker> getBlockers() {
        return blockers;
    }

    public void setBlockers(List<Blocker> blockers) {
        this.blockers = blockers;
    }

    public NodeJoinPolicy getNodeJoin() {
        return nodeJoin;
    }

    public void setNodeJoin(NodeJoinPolicy nodeJoin) {
        this.nodeJoin = nodeJoin;
    }

    public CordonPolicy getCordon() {
        return cordon;
    }

    public void setCordon(CordonPolicy cordon) {
        this.cordon = cordon;
    }

    public PhaseTimeouts getTimeouts() {
        return timeouts;
    }

    public void setTimeouts(PhaseTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    public HealthGates getHealthGates() {
        return healthGates;
    }

    public void setHealthGates(HealthGates healthGates) {
        this.healthGates = healthGates;
    }
}
