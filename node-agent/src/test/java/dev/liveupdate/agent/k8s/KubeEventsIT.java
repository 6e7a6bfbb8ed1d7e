package dev.liveupdate.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's Events against the real API server: accepted, and repeats aggregated into one object. */
class KubeEventsIT {
    private static final String NS = KubeEvents.NAMESPACE;
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
    void repeatsRaiseTheCountOfOneEventInTheAgentsNamespace() {
        KubernetesClient client = cluster.client();
        try (KubeEvents events = new KubeEvents(client, "node-7", Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) {
                events.event(true, "DeviceBusy", "/dev/liveupdate is held by another process");
            }
            events.event(false, "Prepared", "sessions preserved");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Event> stored = new java.util.ArrayList<>(client.v1().events().inNamespace(NS).list().getItems());
                stored.removeIf(e -> !"node-7".equals(e.getInvolvedObject().getName()));
                stored.sort(Comparator.comparing(Event::getReason));
                assertThat(stored).extracting(Event::getReason).containsExactly("DeviceBusy", "Prepared");
                assertThat(stored.get(0).getCount()).isEqualTo(5);
                assertThat(stored.get(0).getType()).isEqualTo("Warning");
                assertThat(stored.get(0).getInvolvedObject().getName()).isEqualTo("node-7");
                assertThat(stored.get(1).getCount()).isEqualTo(1);
            });
        }
    }
}
