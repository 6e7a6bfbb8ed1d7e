package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The real-node tier on its own: containerd, kubelet, kube-scheduler and kube-proxy beside the control plane; a pod
 * scheduled, started and reaching the API server through the kubernetes Service; nothing left on the host after
 * close; and clear errors for what a fresh machine can lack.
 */
class RealNodeIT {

    @Test
    void aPodRunsOnTheRealNodeAndNothingStaysBehind() {
        ProjectImages images = ProjectImages.build(RepoLayout.locate().root(), "pause");
        RealNode node;
        try (TestCluster cluster = TestCluster.builder().withNodeAddress(RealNode.hostAddress())
                .withControllers(RealNode.CONTROLLERS).start()) {
            node = RealNode.start(cluster, RealNode.options().name("node-tier").image(images.archive("pause"))
                    .sandboxImage(images.reference("pause")));
            try (node) {
                KubernetesClient c = cluster.client();
                assertThat(c.nodes().withName("node-tier").get().getStatus().getNodeInfo().getContainerRuntimeVersion())
                        .startsWith("containerd://1.");
                c.pods().inNamespace("default").resource(new PodBuilder()
                        .withNewMetadata().withName("sleeper").endMetadata()
                        .withNewSpec().withTerminationGracePeriodSeconds(1L)
                        .addNewContainer().withName("main").withImage(images.reference("pause"))
                        .withImagePullPolicy("IfNotPresent").endContainer().endSpec().build()).create();
                Pod running = Poll.until("pod sleeper Running", Duration.ofMinutes(2), Duration.ofMillis(300), () -> {
                    Pod p = c.pods().inNamespace("default").withName("sleeper").get();
                    return java.util.Optional.ofNullable(p).filter(x -> "Running".equals(x.getStatus().getPhase()));
                }, java.util.Optional::empty);
                assertThat(running.getSpec().getNodeName()).isEqualTo("node-tier");
                assertThat(running.getStatus().getPodIP()).as("an address from the node's bridge network").startsWith("10.244.0.");
                // The kubelet serves logs through the API server: the API server reaches the kubelet.
                assertThat(c.pods().inNamespace("default").withName("sleeper").getLog()).isNotNull();
            }
            assertThat(node.leftovers()).as("nothing left on the host after close").isEmpty();
        }
    }

    @Test
    void aMissingImageArchiveSaysWhichScriptBuildsIt() {
        try (TestCluster cluster = TestCluster.builder().withNodeAddress(RealNode.hostAddress())
                .withControllers(RealNode.CONTROLLERS).start()) {
            assertThatThrownBy(() -> RealNode.start(cluster, RealNode.options().image(Path.of("/nonexistent/pause.oci.tar"))
                    .timeout(Duration.ofSeconds(60))))
                    .hasMessageContaining("/nonexistent/pause.oci.tar")
                    .hasMessageContaining("hack/build-images.sh");
        }
    }

    @Test
    void aClusterWithoutANodeAddressIsRefusedWithTheFix() {
        try (TestCluster cluster = TestCluster.builder().withControllerManager(false).start()) {
            assertThatThrownBy(() -> RealNode.start(cluster, RealNode.options()))
                    .hasMessageContaining("withNodeAddress(RealNode.hostAddress())");
        }
    }
}
