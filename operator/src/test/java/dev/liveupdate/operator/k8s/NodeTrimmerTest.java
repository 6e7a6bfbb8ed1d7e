package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTrimmerTest {
    static Node full() {
        return new NodeBuilder().withNewMetadata().withName("n1").withUid("u1").withResourceVersion("42")
                .withLabels(Map.of("pool", "kvm"))
                .withAnnotations(Map.of(Annotations.CORDONED_BY, "plan-uid", "other/annotation", "big"))
                .addNewManagedField().withManager("kubelet").endManagedField().endMetadata()
                .withNewSpec().withUnschedulable(true).withPodCIDR("10.0.0.0/24").addNewTaint().withKey("t")
                .withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withNewNodeInfo().withBootID("b1").withKernelVersion("6.12").withKubeletVersion("v1.34")
                .endNodeInfo().addNewImage().withNames("registry/image:1").withSizeBytes(1L).endImage()
                .endStatus().build();
    }

    @Test
    void keepsWhatThePlannerReadsAndDropsTheRest() {
        Node t = new NodeTrimmer().apply(full());
        assertThat(t.getMetadata().getName()).isEqualTo("n1");
        assertThat(t.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(t.getMetadata().getLabels()).containsEntry("pool", "kvm");
        assertThat(t.getMetadata().getAnnotations()).containsOnlyKeys(Annotations.CORDONED_BY);
        assertThat(t.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(t.getSpec().getUnschedulable()).isTrue();
        assertThat(t.getSpec().getTaints()).isNullOrEmpty();
        assertThat(t.getStatus().getImages()).isNullOrEmpty();
        assertThat(t.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
        assertThat(t.getStatus().getNodeInfo().getBootID()).isEqualTo("b1");
        assertThat(t.getStatus().getNodeInfo().getKubeletVersion()).isNull();
        assertThat(Views.ready(t)).isTrue();
    }

    @Test
    void fingerprintIgnoresChangesThePlannerDoesNotRead() {
        Node a = full();
        Node b = full();
        b.getStatus().getImages().clear();
        b.getStatus().getConditions().get(0).setStatus("True"); // MemoryPressure flips: irrelevant
        assertThat(NodeTrimmer.Fingerprint.of(a)).isEqualTo(NodeTrimmer.Fingerprint.of(b));
        b.getStatus().getNodeInfo().setBootID("b2");
        assertThat(NodeTrimmer.Fingerprint.of(a)).isNotEqualTo(NodeTrimmer.Fingerprint.of(b));
    }
}
