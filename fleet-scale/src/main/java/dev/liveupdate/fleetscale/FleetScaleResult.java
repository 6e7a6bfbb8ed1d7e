package dev.liveupdate.fleetscale;

import dev.liveupdate.api.v1alpha1.PlanPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured.
 *
 * @param makespan        plan applied -> the plan's terminal phase seen by the watch
 * @param updated         nodes that went through exactly one kexec
 * @param kexecsPerNode   nodes by their number of kexecs (every healthy node must have exactly one)
 * @param planRequests    API requests while the plan ran (verb resource[/subresource] -> count)
 * @param idleRequests    API requests during the idle window before the plan
 * @param ack             instruction -> acknowledging status write
 * @param operatorCpuMs   operator CPU time while the plan ran
 */
public record FleetScaleResult(FleetScaleOptions options, IdealSchedule ideal, PlanPhase planPhase, String planMessage, Duration makespan,
                               int updated, Map<Integer, Long> kexecsPerNode, int failedNodes, int rebootFailures,
                               ApiRequests planRequests, ApiRequests idleRequests, Duration idleWindow,
                               Percentiles ack, Map<String, List<Long>> ackNanosByStep, int instructions, int unacknowledged,
                               long operatorCpuMs, double operatorRssMaxMib, double operatorRssEndMib, OperatorSample operatorBefore,
                               OperatorSample operatorAfter, double apiServerRssMaxMib, double apiServerCpuMs,
                               List<FleetObserver.Row> rows, List<FleetObserver.PlanMark> marks, List<String> notes,
                               String loadBefore, String loadAfter, Duration setup) {

    /** Resources the operator and the agents write for a node update (leases, Node status and tokens excluded). */
    static final java.util.Set<String> UPDATE_RESOURCES = java.util.Set.of("liveupdatenodes", "liveupdatenodes/status", "liveupdates",
            "liveupdates/status", "nodes", "events");

    /** Acknowledgement latency per instruction (Prepared, Rebooted, Finished, Cancelled, cleared). */
    public Map<String, Percentiles> ackByStep() {
        Map<String, Percentiles> out = new java.util.TreeMap<>();
        ackNanosByStep.forEach((step, nanos) -> out.put(step, Percentiles.of(nanos)));
        return out;
    }

    /** Every acknowledgement but Prepared's, whose write waits for the kernel load (the prepare time). */
    public Percentiles ackWithoutPrepared() {
        List<Long> all = new java.util.ArrayList<>();
        ackNanosByStep.forEach((step, nanos) -> {
            if (!step.equals("Prepared")) {
                all.addAll(nanos);
            }
        });
        return Percentiles.of(all);
    }

    public double makespanOverIdeal() {
        return makespan.toMillis() / (double) ideal.total().toMillis();
    }

    /** Writes by the operator and the agents per updated node (heartbeat-free by construction: no agent writes when idle). */
    public double writesPerNodeUpdate() {
        return updated == 0 ? Double.NaN : planRequests.writes(UPDATE_RESOURCES) / (double) updated;
    }

    public double operatorCpuMsPerNode() {
        return updated == 0 ? Double.NaN : operatorCpuMs / (double) updated;
    }

    /** The agents' status writes per node per minute while no plan ran. */
    public double heartbeatWritesPerNodeMinute() {
        long w = idleRequests.writes(java.util.Set.of("liveupdatenodes/status"));
        return w / (double) options.nodes() / (idleWindow.toMillis() / 60000.0);
    }
}
