package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.operator.planning.MaintenanceConditions;
import dev.liveupdate.operator.planning.NodeMaintenance;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceConditionPublisherTest {
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00.5Z"), ZoneOffset.UTC);

    private static MaintenanceConditions.Change inProgress() {
        return new MaintenanceConditions.Change("n1", List.of(new MaintenanceConditions.Condition(
                NodeMaintenance.IN_PROGRESS, "LiveUpdateInProgress", "LiveUpdate p: in progress")),
                Set.of(NodeMaintenance.PLANNED));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneStrategicMergePatchSetsByTypeAndDeletesOursByType() {
        List<String> patches = new ArrayList<>();
        var publisher = new MaintenanceConditionPublisher((node, patch) -> patches.add(node + " " + patch), clock,
                json);
        assertThat(publisher.publish(List.of(inProgress()))).isEqualTo(1);
        assertThat(patches).hasSize(1).allMatch(p -> p.startsWith("n1 "));
        Map<String, Object> patch = json.unmarshal(patches.get(0).substring(3), Map.class);
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) ((Map<String, Object>) patch.get("status"))
                .get("conditions");
        assertThat(patch).containsOnlyKeys("status");
        assertThat(conditions).containsExactly(
                Map.of("type", "MaintenanceInProgress", "status", "True", "reason", "LiveUpdateInProgress",
                        "message", "LiveUpdate p: in progress", "lastTransitionTime", "2026-12-07T10:00:00Z",
                        "lastHeartbeatTime", "2026-12-07T10:00:00Z"),
                Map.of("type", "MaintenancePlanned", "$patch", "delete"));
    }

    @Test
    void aDeletedNodeOrAMissingGrantLeavesNothingOutstandingAndOtherFailuresAreRetried() {
        for (int code : new int[] {404, 403}) {
            var publisher = new MaintenanceConditionPublisher((node, patch) -> {
                throw new KubernetesClientException("no", code, null);
            }, clock, json);
            assertThat(publisher.publish(List.of(inProgress()))).as("code %d", code).isZero();
        }
        var publisher = new MaintenanceConditionPublisher((node, patch) -> {
            throw new KubernetesClientException("busy", 500, null);
        }, clock, json);
        assertThat(publisher.publish(List.of(inProgress()))).isEqualTo(1);
    }

    @Test
    void viewsTellOurConditionsFromAnotherActors() {
        Node n = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("MaintenancePlanned").withStatus("True").withReason("LiveUpdatePlanned")
                .withMessage("LiveUpdate p picked this node").endCondition()
                .addNewCondition().withType("DrainInProgress").withStatus("True").withReason("Decommission")
                .withMessage("rack 7").endCondition()
                .addNewCondition().withType("MaintenanceInProgress").withStatus("False").withReason("Done")
                .endCondition()
                .endStatus().build();
        NodeMaintenance m = Views.maintenance(new NodeTrimmer().apply(n));
        assertThat(m.byOthers()).isEqualTo("DrainInProgress (Decommission: rack 7)");
        assertThat(m.ours()).containsOnlyKeys("MaintenancePlanned");
        assertThat(m.othersTrue()).containsExactly("DrainInProgress");
        assertThat(NodeTrimmer.Fingerprint.of(n)).as("a change of another actor's condition wakes the plans")
                .isNotEqualTo(NodeTrimmer.Fingerprint.of(new NodeBuilder(n).editStatus().removeMatchingFromConditions(
                        c -> "DrainInProgress".equals(c.getType())).endStatus().build()));
    }
}
