package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.liveUpdateNode;
import static dev.liveupdate.testcluster.Resources.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A LiveUpdateNode owned by its Node goes when the Node goes (kube-controller-manager's garbage collector). */
class GarbageCollectionIT {

    @Test
    void liveUpdateNodeIsDeletedWithItsNode() {
        TestCluster cluster = SharedTestCluster.get();
        KubernetesClient admin = cluster.client();
        Node node = cluster.nodes().create("gc-node", Map.of());
        Node survivor = cluster.nodes().create("gc-node-survivor", Map.of());
        nodes(admin).resource(owned(node)).create();
        nodes(admin).resource(owned(survivor)).create();

        admin.nodes().withName("gc-node").delete();

        Poll.until("garbage collection of LiveUpdateNode gc-node", Duration.ofSeconds(90),
                () -> nodes(admin).withName("gc-node").get() == null);
        assertThat(nodes(admin).withName("gc-node-survivor").get()).isNotNull();
    }

    private static GenericKubernetesResource owned(Node node) {
        String name = node.getMetadata().getName();
        GenericKubernetesResource lun = liveUpdateNode(name, name);
        lun.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("Node").withName(name).withUid(node.getMetadata().getUid()).build()));
        return lun;
    }
}
