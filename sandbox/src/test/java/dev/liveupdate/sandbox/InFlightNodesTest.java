package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which nodes of a halted plan still move by themselves, and the bounded wait for them. */
class InFlightNodesTest {
    @TempDir
    Path dir;

    private final Map<String, LiveUpdateNode> luns = new TreeMap<>();
    private final Map<String, WorkloadState> workloads = new TreeMap<>();
    private final Map<String, SimulatedNode> nodes = new TreeMap<>();

    private void node(String name, NodePhase phase, NodeStep step, WorkloadState workload) {
        nodes.put(name, new SimulatedNode(name, Generation.B, dir.resolve(name), null, dir.resolve("kubeconfig")));
        LiveUpdateNode lun = new LiveUpdateNode();
        LiveUpdateNodeStatus st = new LiveUpdateNodeStatus();
        st.setPhase(phase);
        lun.setStatus(st);
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        if (step != null) {
            NodeInstruction i = new NodeInstruction();
            i.setStep(step);
            spec.setInstruction(i);
        }
        lun.setSpec(spec);
        luns.put(name, lun);
        workloads.put(name, workload);
    }

    private RolloutSnapshot snapshot() {
        return new RolloutSnapshot(null, luns, workloads, null, List.of());
    }

    @Test
    void nodesBetweenStepsAreInFlightAndSettledOnesAreNot() {
        node("node-1", NodePhase.Failed, NodeStep.Prepared, WorkloadState.PRESERVED);
        node("node-2", NodePhase.Restoring, NodeStep.Rebooted, WorkloadState.STARTING);
        node("node-3", NodePhase.Updated, NodeStep.Finished, WorkloadState.VERIFIED);
        node("node-4", NodePhase.Cancelled, NodeStep.Cancelled, WorkloadState.PRESERVED);

        assertThat(InFlightNodes.of(snapshot(), nodes)).containsExactly("node-2 (Restoring)", "node-3 (Updated)");
    }

    @Test
    void theWaitEndsWhenNothingMovesOrAtItsDeadline() {
        node("node-1", NodePhase.Rebooting, NodeStep.Rebooted, WorkloadState.PRESERVED);
        InFlightNodes wait = new InFlightNodes(Duration.ofMinutes(2));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(wait.settled(snapshot(), nodes, t0)).isFalse();
        assertThat(wait.settled(snapshot(), nodes, t0.plusSeconds(119))).isFalse();
        assertThat(wait.settled(snapshot(), nodes, t0.plusSeconds(120))).as("bounded").isTrue();

        luns.get("node-1").getStatus().setPhase(NodePhase.Finished);
        assertThat(new InFlightNodes(Duration.ofMinutes(2)).settled(snapshot(), nodes, t0)).isTrue();
    }
}
