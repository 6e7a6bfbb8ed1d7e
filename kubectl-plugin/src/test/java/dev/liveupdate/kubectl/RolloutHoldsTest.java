package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.PreflightFinding;
import dev.liveupdate.api.v1alpha1.PreflightStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutHoldsTest {

    private static PreflightFinding finding(String reason, boolean blocking, int count, List<String> nodes) {
        PreflightFinding f = new PreflightFinding();
        f.setReason(reason);
        f.setBlocking(blocking);
        f.setCount(count);
        f.setNodes(nodes);
        return f;
    }

    @Test
    void blockingPreflightFindingsHoldTheRolloutAndWarningsDoNot() {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName("p").withGeneration(1L).build());
        lu.setSpec(new LiveUpdateSpec());
        LiveUpdateStatus st = new LiveUpdateStatus();
        st.setObservedGeneration(1L);
        PreflightStatus p = new PreflightStatus();
        p.setFindings(List.of(finding("KernelMissing", true, 3, List.of("node-1", "node-7", "node-9")),
                finding("KexecSignatureRequired", false, 40, List.of("node-2"))));
        st.setPreflight(p);
        lu.setStatus(st);
        assertThat(RolloutHolds.of(lu, List.of(), List.of())).containsExactly(
                new Hold("Preflight", "KernelMissing on 3 node(s) (node-1, node-7, node-9)"));

        p.setFindings(List.of(finding("KexecSignatureRequired", false, 40, List.of("node-2"))));
        assertThat(RolloutHolds.of(lu, List.of(), List.of())).isEmpty();
    }
}
