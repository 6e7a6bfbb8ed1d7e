package dev.liveupdate.fleetscale;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Watches what the fleet does, as the API server serves it: every LiveUpdateNode (instruction, phase, the agent's
 * observedGeneration) and the plan (phase, current wave). From that: nodes per phase over time, wave starts, and
 * the latency from an instruction's arrival to the first status write that acknowledges it (observedGeneration at
 * or past the instruction's generation). Both ends come through the same watch, so the watch's own delay cancels.
 */
final class FleetObserver implements AutoCloseable {
    /** What the plot shows per node. */
    enum Column { IDLE, PREPARING, PREPARED, REBOOTING, RESTORING, FINISHED, FAILED, CANCELLED }

    /** A change of the plan's wave or phase, ms since the observer's start. */
    record PlanMark(long atMillis, Integer wave, PlanPhase phase) {
    }

    /** Counts per column at one moment. */
    record Row(long atMillis, EnumMap<Column, Integer> counts) {
    }

    private final long t0 = System.nanoTime();
    private final Map<String, Column> columns = new HashMap<>();
    private final Map<String, long[]> pending = new HashMap<>(); // node -> {generation, arrival nanos}
    private final Map<String, String> pendingStep = new HashMap<>();
    private final Map<String, List<Long>> ackByStep = new java.util.TreeMap<>();
    private final Map<String, Long> lastGeneration = new HashMap<>();
    private final List<Long> ackNanos = new ArrayList<>();
    private final List<PlanMark> planMarks = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private int instructions;
    private int unacknowledgedReplaced;
    private volatile LiveUpdate plan;
    private Integer lastWave;
    private PlanPhase lastPhase;
    private SharedIndexInformer<LiveUpdateNode> nodes;
    private SharedIndexInformer<LiveUpdate> plans;

    FleetObserver start(KubernetesClient admin) {
        nodes = admin.resources(LiveUpdateNode.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(LiveUpdateNode obj) {
                seen(obj);
            }

            @Override
            public void onUpdate(LiveUpdateNode oldObj, LiveUpdateNode newObj) {
                seen(newObj);
            }

            @Override
            public void onDelete(LiveUpdateNode obj, boolean deletedFinalStateUnknown) {
            }
        }, 0);
        plans = admin.resources(LiveUpdate.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(LiveUpdate obj) {
                planSeen(obj);
            }

            @Override
            public void onUpdate(LiveUpdate oldObj, LiveUpdate newObj) {
                planSeen(newObj);
            }

            @Override
            public void onDelete(LiveUpdate obj, boolean deletedFinalStateUnknown) {
            }
        }, 0);
        return this;
    }

    private synchronized void seen(LiveUpdateNode lun) {
        long now = System.nanoTime();
        String name = lun.getMetadata().getName();
        Long generation = lun.getMetadata().getGeneration();
        NodeInstruction instruction = lun.getSpec() == null ? null : lun.getSpec().getInstruction();
        Long previous = generation == null ? null : lastGeneration.put(name, generation);
        if (previous != null && !previous.equals(generation) && plan != null) {
            // A new spec generation: an instruction written, changed or cleared by the operator.
            if (pending.put(name, new long[] {generation, now}) != null) {
                unacknowledgedReplaced++;
            }
            pendingStep.put(name, instruction == null ? "cleared" : String.valueOf(instruction.getStep()));
            instructions++;
        }
        Long observed = lun.getStatus() == null ? null : lun.getStatus().getObservedGeneration();
        NodePhase phase = lun.getStatus() == null ? null : lun.getStatus().getPhase();
        long[] p = pending.get(name);
        // The agent's Rebooting report (written and acknowledged before the kexec) still carries the previous
        // observedGeneration: it is set at the end of the engine's pass, after the write. It acknowledges Rebooted.
        boolean rebooting = phase == NodePhase.Rebooting && "Rebooted".equals(pendingStep.get(name));
        if (p != null && (observed != null && observed >= p[0] || rebooting)) {
            ackNanos.add(now - p[1]);
            ackByStep.computeIfAbsent(pendingStep.get(name), k -> new ArrayList<>()).add(now - p[1]);
            pending.remove(name);
        }
        columns.put(name, column(instruction, lun.getStatus()));
    }

    /** The node's place in the rollout; an Idle node whose last update was this run's counts by its result. */
    static Column column(NodeInstruction instruction, LiveUpdateNodeStatus status) {
        NodePhase phase = status == null ? null : status.getPhase();
        if (phase == null) {
            return Column.IDLE;
        }
        return switch (phase) {
            // Told to prepare but not reported yet: the agent writes its first report after the kernel load.
            case Idle -> instruction != null && instruction.getStep() != null && instruction.getStep().name().equals("Prepared")
                    ? Column.PREPARING
                    : status.getLastUpdate() == null || status.getLastUpdate().getResult() == null ? Column.IDLE
                    : switch (status.getLastUpdate().getResult()) {
                        case Finished -> Column.FINISHED;
                        case Failed -> Column.FAILED;
                        case Cancelled -> Column.CANCELLED;
                    };
            case Preparing -> Column.PREPARING;
            case Prepared -> instruction != null && instruction.getStep() != null
                    && instruction.getStep().name().equals("Rebooted") ? Column.REBOOTING : Column.PREPARED;
            case Rebooting -> Column.REBOOTING;
            case Restoring, Updated -> Column.RESTORING;
            case Finished -> Column.FINISHED;
            case Failed -> Column.FAILED;
            case Cancelled -> Column.CANCELLED;
        };
    }

    private synchronized void planSeen(LiveUpdate lu) {
        plan = lu;
        Integer wave = lu.getStatus() == null ? null : lu.getStatus().getCurrentWave();
        PlanPhase phase = lu.getStatus() == null ? null : lu.getStatus().getPhase();
        if (!Objects.equals(wave, lastWave) || phase != lastPhase) {
            planMarks.add(new PlanMark(millis(), wave, phase));
            lastWave = wave;
            lastPhase = phase;
        }
    }

    /** Records the counts per column now (called periodically by the run). */
    synchronized void sample() {
        EnumMap<Column, Integer> counts = new EnumMap<>(Column.class);
        for (Column c : Column.values()) {
            counts.put(c, 0);
        }
        columns.values().forEach(c -> counts.merge(c, 1, Integer::sum));
        rows.add(new Row(millis(), counts));
    }

    /** Forgets the latencies and instructions seen so far (objects created before the plan). */
    synchronized void resetCounters() {
        pending.clear();
        ackNanos.clear();
        ackByStep.clear();
        instructions = 0;
        unacknowledgedReplaced = 0;
    }

    long millis() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    LiveUpdate plan() {
        return plan;
    }

    synchronized List<Long> ackNanos() {
        return List.copyOf(ackNanos);
    }

    /** Latencies by the instruction acknowledged: Prepared, Rebooted, Finished, Cancelled, cleared. */
    synchronized Map<String, List<Long>> ackByStep() {
        Map<String, List<Long>> copy = new java.util.TreeMap<>();
        ackByStep.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    synchronized int instructions() {
        return instructions;
    }

    /** Instructions never acknowledged by the end (stalled agents) plus those replaced before an acknowledgement. */
    synchronized int unacknowledged() {
        return pending.size() + unacknowledgedReplaced;
    }

    synchronized List<PlanMark> planMarks() {
        return List.copyOf(planMarks);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized Map<String, Column> columns() {
        return Map.copyOf(columns);
    }

    @Override
    public void close() {
        if (nodes != null) {
            nodes.close();
        }
        if (plans != null) {
            plans.close();
        }
    }
}
