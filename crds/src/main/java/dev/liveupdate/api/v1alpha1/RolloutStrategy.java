package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How far and how fast a plan moves through the fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStrategy {
    @Default("1")
    @ValidationRule(value = "type(self) == int ? self >= 1 : self.matches('^(100|[1-9][0-9]?)%$')", messageExpression = "'maxUnavailable must be an integer >= 1 or a percentage from 1% to 100%, got ' + (type(self) == int ? (self == 0 ? '0' : 'a negative number') : '\\'' + self + '\\'')")
    @JsonPropertyDescription("How many selected nodes may be unavailable at once (integer, or percentage of the selected nodes rounded down, at least 1). Nodes already unavailable for other reasons (NotReady, cordoned by someone else) count against it.")
    private IntOrString maxUnavailable;

    @Default("1")
    @Min(0)
    @ValidationRule(value = "self >= 0", message = "canaryNodes must be >= 0 (0 disables the canary wave)")
    @JsonPropertyDescription("Size of the first (canary) wave; the rest of the fleet waits until it finished and soaked. 0 disables the canary wave.")
    private Integer canaryNodes;

    @Default("true")
    @JsonPropertyDescription("Barrier: every node of a wave reaches Prepared before any of them reboots, so a failed prepare cancels the wave with no disruption.")
    private Boolean barrier;

    @Default("0s")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long to wait after a wave completed before starting the next, as a duration (e.g. 10m).")
    private String soakTime;

    @Default("0")
    @Min(0)
    @ValidationRule(value = "self >= 0", message = "maxFailures must be >= 0 (0 halts the rollout at the first failed node)")
    @JsonPropertyDescription("How many nodes may fail before the rollout halts. 0 (default) halts at the first failure.")
    private Integer maxFailures;

    @Default("3")
    @Min(0)
    @Max(20)
    @ValidationRule(value = "self >= 0 && self <= 20", message = "maxPrepareRestarts must be from 0 to 20 (0 fails a node at the first agent restart before its kexec)")
    @JsonPropertyDescription("How many times a node's preparation may start over because its agent restarted before the kexec (same boot: the sessions died with the agent process, the workloads still hold their memory and hand their files over again). One restart more fails the node with reason PrepareRestartsExceeded. 0 fails it at the first such restart.")
    private Integer maxPrepareRestarts;

    @Default("false")
    @JsonPropertyDescription("Allow moving a node to a kernel release older than the one it runs (compared as sort -V does: 7.10 is newer than 7.9). Default false: such nodes are skipped with reason NewerKernel.")
    private Boolean allowDowngrade;

    @JsonPropertyDescription("Limits on the blackout of the plan's nodes (from reboot(KEXEC) until the sessions were restored, as each agent reports it): a finished node over maxPerNode, or the percentile over its bound, halts the rollout with reason BlackoutBudgetExceeded before the next wave starts. Raise or remove the limit to continue. Unset: no limit.")
    private BlackoutBudget blackoutBudget;

    @Default("10")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("For a kernel named by URL: how many nodes download it at once ahead of the waves (the mirror's load). Nodes the plan already holds are asked regardless.")
    private Integer stagingParallelism;

    @Default("Halt")
    @JsonPropertyDescription("Fleet preflight before each wave: every selected node not started yet is checked against the plan from its agent's inventory (kernel image present with the plan's sha256, kexec allowed, workloads registered for the required sessions). Halt: no wave starts while a blocking finding stands; the plan waits and checks again as inventories change. Skip: nodes with a blocking finding are skipped with it as reason, the rest roll. Report: findings are only shown.")
    private PreflightPolicy preflight;

    public PreflightPolicy getPreflight() {
        return preflight;
    }

    public void setPreflight(PreflightPolicy preflight) {
        this.preflight = preflight;
    }

    public BlackoutBudget getBlackoutBudget() {
        return blackoutBudget;
    }

    public void setBlackoutBudget(BlackoutBudget blackoutBudget) {
        this.blackoutBudget = blackoutBudget;
    }

    @JsonPropertyDescription("The freeze before each node's reboot(KEXEC): workloads subscribed on the agent's socket are told to pause and acknowledge (docs/workload-socket.md). Absent means timeout 10s, onTimeout Abort.")
    private FreezePolicy freeze;

    public FreezePolicy getFreeze() {
        return freeze;
    }

    public void setFreeze(FreezePolicy freeze) {
        this.freeze = freeze;
    }

    public Boolean getAllowDowngrade() {
        return allowDowngrade;
    }

    public void setAllowDowngrade(Boolean allowDowngrade) {
        this.allowDowngrade = allowDowngrade;
    }

    public IntOrString getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }

    public Integer getCanaryNodes() {
        return canaryNodes;
    }

    public void setCanaryNodes(Integer canaryNodes) {
        this.canaryNodes = canaryNodes;
    }

    public Boolean getBarrier() {
        return barrier;
    }

    public void setBarrier(Boolean barrier) {
        this.barrier = barrier;
    }

    public String getSoakTime() {
        return soakTime;
    }

    public void setSoakTime(String soakTime) {
        this.soakTime = soakTime;
    }

    public Integer getMaxPrepareRestarts() {
        return maxPrepareRestarts;
    }

    public void setMaxPrepareRestarts(Integer maxPrepareRestarts) {
        this.maxPrepareRestarts = maxPrepareRestarts;
    }

    public Integer getMaxFailures() {
        return maxFailures;
    }

    public void setMaxFailures(Integer maxFailures) {
        this.maxFailures = maxFailures;
    }

    public Integer getStagingParallelism() {
        return stagingParallelism;
    }

    public void setStagingParallelism(Integer stagingParallelism) {
        this.stagingParallelism = stagingParallelism;
    }
}
