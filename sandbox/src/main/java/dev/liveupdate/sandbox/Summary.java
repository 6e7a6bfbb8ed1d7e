package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;

/** The closing report: per-node blackout and data verification, totals, and the verdict. */
public final class Summary {
    private Summary() {
    }

    public static String render(RolloutSnapshot last, Fleet fleet, long totalMillis, boolean timedOut) {
        StringBuilder sb = new StringBuilder();
        sb.append(System.lineSeparator()).append("Summary of ").append(last.header().plan()).append(System.lineSeparator());
        String format = "  %-12s %-4s %-10s %-10s %-6s %-14s%n";
        sb.append(String.format(format, "NODE", "ABI", "PHASE", "BLACKOUT", "BOOTS", "WORKLOAD (1 MiB memfd)"));
        LongSummaryStatistics blackouts = new LongSummaryStatistics();
        List<String> failures = new ArrayList<>();
        for (SimulatedNode node : fleet.nodes().values()) {
            LiveUpdateNode lun = last.lun().get(node.name());
            LiveUpdateNodeStatus st = lun == null ? null : lun.getStatus();
            Long blackout = blackoutMillis(st);
            if (blackout != null) {
                blackouts.accept(blackout);
            }
            WorkloadState workload = last.workloads().get(node.name());
            sb.append(String.format(format, node.name(), node.generation().name(),
                    st == null || st.getPhase() == null ? "-" : st.getPhase().name(),
                    blackout == null ? "-" : FleetView.seconds(blackout), node.boots(), workload.label()));
        }
        for (SimulatedNode node : fleet.nodes().values()) {
            LiveUpdateNode lun = last.lun().get(node.name());
            String breakdown = lun == null || lun.getStatus() == null ? null : BlackoutBreakdown.line(lun.getStatus().getBlackout());
            if (breakdown != null) {
                sb.append(String.format("  %-12s blackout: %s%n", node.name(), breakdown));
            }
        }
        // The plan's bounded list is authoritative: an agent goes back to Idle once the operator clears a failed node.
        if (last.plan() != null && last.plan().getStatus() != null && last.plan().getStatus().getFailedNodes() != null) {
            last.plan().getStatus().getFailedNodes().forEach(f -> failures.add(f.getNode() + ": " + f.getReason() + ": " + f.getMessage()));
        }
        long verified = last.workloads().values().stream().filter(w -> w == WorkloadState.VERIFIED).count();
        sb.append(System.lineSeparator());
        sb.append(String.format("  plan phase %s, %s%n", last.phase() == null ? "-" : last.phase(), last.header().progress() == null ? "" : "done " + last.header().progress()));
        sb.append(String.format("  total time %s; blackout min/avg/max %s%n", FleetView.seconds(totalMillis),
                blackouts.getCount() == 0 ? "-" : FleetView.seconds(blackouts.getMin()) + " / "
                        + FleetView.seconds((long) blackouts.getAverage()) + " / " + FleetView.seconds(blackouts.getMax())));
        sb.append(String.format("  data verified: %d of %d workloads got their 1 MiB memfd back byte for byte (SHA-256)%n",
                verified, fleet.nodes().size()));
        if (fleet.timeline() != null) {
            sb.append(String.format("  safety: at most %d node(s) unavailable at once; reboots per node: %s%n",
                    fleet.timeline().maxUnavailableObserved(), new java.util.TreeMap<>(fleet.timeline().bootChanges())));
        }
        if (fleet.leaseHistory() != null) {
            sb.append(String.format("  operators: %d replicas; Lease held by %s%n", fleet.options().operators(),
                    fleet.leaseHistory().describe(java.time.Instant.now().minusMillis(totalMillis))));
        }
        failures.forEach(f -> sb.append("  failed ").append(f).append(System.lineSeparator()));
        if (last.stoppedByPreflight() && last.plan().getStatus().getPreflight() != null
                && last.plan().getStatus().getPreflight().getFindings() != null) {
            sb.append("  preflight holds the plan (no wave starts; the nodes named were not touched):").append(System.lineSeparator());
            last.plan().getStatus().getPreflight().getFindings().stream().filter(f -> Boolean.TRUE.equals(f.getBlocking()))
                    .forEach(f -> sb.append("    ").append(f.getReason()).append(" on ").append(String.join(", ", f.getNodes()))
                            .append(": ").append(f.getMessage()).append(System.lineSeparator()));
        }
        for (SimulatedNode node : fleet.nodes().values()) {
            LiveUpdateNode lun = last.lun().get(node.name());
            LiveUpdateNodeStatus st = lun == null ? null : lun.getStatus();
            if (st != null && st.getPhase() == NodePhase.Failed && "RestoreTimeout".equals(st.getReason()) && st.getPlan() != null) {
                // The agent keeps what nobody took back (no FINISH); say how a person lets go of it.
                sb.append(String.format("  %s keeps its unrestored files (no FINISH); once they are not needed:%n"
                        + "    kubectl annotate lun %s %s=%s%n", node.name(), node.name(),
                        LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION, st.getPlan().getUid()));
            }
        }
        if (timedOut) {
            sb.append("  TIMED OUT before the plan settled; logs are under ").append(fleet.options().workDir()).append(System.lineSeparator());
        }
        sb.append(last.success() ? "RESULT: SUCCESS" : "RESULT: FAILURE").append(System.lineSeparator());
        return sb.toString();
    }

    private static Long blackoutMillis(LiveUpdateNodeStatus st) {
        if (st == null) {
            return null;
        }
        if (st.getBlackout() != null && st.getBlackout().getDurationMillis() != null) {
            return st.getBlackout().getDurationMillis();
        }
        return st.getLastUpdate() == null ? null : st.getLastUpdate().getBlackoutMillis();
    }
}
