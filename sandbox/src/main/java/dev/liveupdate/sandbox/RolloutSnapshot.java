package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One look at the plan, every node's LiveUpdateNode and every workload, turned into what the view shows. */
public record RolloutSnapshot(LiveUpdate plan, Map<String, LiveUpdateNode> lun, Map<String, WorkloadState> workloads,
                              PlanHeader header, List<NodeRow> rows) {

    static RolloutSnapshot take(Fleet fleet, String planName, long elapsedMillis) {
        LiveUpdate plan = fleet.client().resources(LiveUpdate.class).withName(planName).get();
        Map<String, LiveUpdateNode> luns = new java.util.TreeMap<>();
        for (LiveUpdateNode n : fleet.client().resources(LiveUpdateNode.class).list().getItems()) {
            luns.put(n.getMetadata().getName(), n);
        }
        Map<String, WorkloadState> workloads = new java.util.TreeMap<>();
        List<NodeRow> rows = new ArrayList<>();
        for (SimulatedNode node : fleet.nodes().values()) {
            WorkloadState workload = node.workloadState();
            workloads.put(node.name(), workload);
            rows.add(row(node.name(), node.generation().name() + "?", luns.get(node.name()), workload));
        }
        PlanHeader header = header(planName, plan, elapsedMillis);
        return new RolloutSnapshot(plan, luns, workloads, header, rows);
    }

    /** What the view shows for the plan (also the real-node sandbox's). */
    public static PlanHeader header(String planName, LiveUpdate plan, long elapsedMillis) {
        var s = plan == null ? null : plan.getStatus();
        return new PlanHeader(planName,
                s == null || s.getPhase() == null ? "Pending" : s.getPhase().name(),
                s == null ? null : s.getProgress(),
                s == null || s.getNodeCounts() == null || s.getNodeCounts().getFailed() == null ? 0 : s.getNodeCounts().getFailed(),
                s == null ? null : s.getCurrentWave(), s == null ? null : s.getMessage(), elapsedMillis);
    }

    /** One node's row; {@code abiUntilReported} until its agent reports the ABI (also the real-node sandbox's). */
    public static NodeRow row(String node, String abiUntilReported, LiveUpdateNode l, WorkloadState workload) {
        var status = l == null ? null : l.getStatus();
        var instruction = l == null || l.getSpec() == null ? null : l.getSpec().getInstruction();
        return new NodeRow(node,
                status != null && status.getInventory() != null && status.getInventory().getAbi() != null
                        ? status.getInventory().getAbi().name() : abiUntilReported,
                instruction == null ? null : instruction.getStep().name(),
                status == null || status.getPhase() == null ? null : status.getPhase().name(),
                status == null || status.getBlackout() == null ? null : status.getBlackout().getDuration(),
                workload.label());
    }

    /** A phase the plan does not leave by itself. */
    public static boolean settled(PlanPhase p) {
        return p == PlanPhase.Succeeded || p == PlanPhase.Failed || p == PlanPhase.Halted || p == PlanPhase.Cancelled;
    }

    public PlanPhase phase() {
        return plan == null || plan.getStatus() == null ? null : plan.getStatus().getPhase();
    }

    /** The plan reached a phase it does not leave by itself, or fleet preflight holds its next wave (Halt). */
    public boolean planSettled() {
        return settled(phase()) || stoppedByPreflight();
    }

    /**
     * A blocking preflight finding under {@code strategy.preflight: Halt} (before the first wave, or between waves when
     * a node's agent reported after the plan started): the plan would move once the nodes are fixed (a kernel
     * copied), which nobody does in a sandbox run.
     */
    public boolean stoppedByPreflight() {
        return (phase() == PlanPhase.Pending || phase() == PlanPhase.Progressing)
                && plan.getStatus().getConditions() != null && plan.getStatus().getConditions()
                .stream().anyMatch(c -> "PreflightPassed".equals(c.getType()) && "False".equals(c.getStatus())
                        && "BlockingFindings".equals(c.getReason()))
                && !onlyStagingUnderWay();
    }

    /** Every blocking finding is a URL kernel still being staged (queued or downloading, not failed): it moves by itself. */
    private boolean onlyStagingUnderWay() {
        var p = plan.getStatus().getPreflight();
        return p != null && p.getFindings() != null && p.getFindings().stream().filter(f -> Boolean.TRUE.equals(f.getBlocking()))
                .allMatch(f -> "KernelNotStaged".equals(f.getReason()) && f.getMessage() != null && !f.getMessage().contains("staging failed"));
    }

    public boolean allWorkloadsVerified() {
        return workloads.values().stream().allMatch(w -> w == WorkloadState.VERIFIED);
    }

    public boolean anyWorkloadFailed() {
        return workloads.values().stream().anyMatch(WorkloadState::failed);
    }

    /** Succeeded and every workload proved its bytes survived. */
    public boolean success() {
        return phase() == PlanPhase.Succeeded && allWorkloadsVerified();
    }
}
