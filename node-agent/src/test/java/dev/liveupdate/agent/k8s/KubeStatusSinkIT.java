package dev.liveupdate.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's status writer against the real API server. F4 of the whole-protocol simulation: a LiveUpdateNode
 * re-created after its Node was deleted and registered again has no status, and the engine publishes only changes,
 * so the writer must write the newest report again.
 */
class KubeStatusSinkIT {
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().withRepoCrds().withControllerManager(false).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReCreatedObjectGetsTheNewestReportAgain() {
        KubernetesClient client = cluster.client();
        String name = "node-f4";
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        NodeObjects objects = new NodeObjects(client, name);
        objects.ensureExists();
        try (KubeStatusSink sink = new KubeStatusSink(client, name, "liveupdate-agent")) {
            LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
            s.setPhase(NodePhase.Idle);
            s.setMessage("no plan holds this node");
            sink.publish(s);
            await().atMost(Duration.ofSeconds(30)).until(() -> phase(client, name) == NodePhase.Idle);

            client.resources(LiveUpdateNode.class).withName(name).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(LiveUpdateNode.class).withName(name).get() == null);
            objects.ensureExists();
            assertThat(phase(client, name)).as("created without a status").isNull();

            sink.republish();
            await().atMost(Duration.ofSeconds(30)).until(() -> phase(client, name) == NodePhase.Idle);
            assertThat(client.resources(LiveUpdateNode.class).withName(name).get().getStatus().getMessage())
                    .isEqualTo("no plan holds this node");
        }
    }

    private static NodePhase phase(KubernetesClient client, String name) {
        LiveUpdateNode l = client.resources(LiveUpdateNode.class).withName(name).get();
        return l == null || l.getStatus() == null ? null : l.getStatus().getPhase();
    }
}
