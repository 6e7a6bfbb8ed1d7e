package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartOperatorTest {

    private static Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("op").addToLabels("app.kubernetes.io/component", "operator").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("operator")
                .addNewEnv().withName("LIVEUPDATE_OPERATOR_RESYNC_INTERVAL").withValue("5m").endEnv()
                .addNewEnv().withName("LIVEUPDATE_OPERATOR_AGENT_NAMESPACE").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("LIVEUPDATE_LEADER_ELECTION_IDENTITY").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("JDK_JAVA_OPTIONS").withValue("-XX:+UseSerialGC -XX:MaxRAMPercentage=50").endEnv()
                .withNewResources().addToLimits("memory", new Quantity("512Mi")).endResources()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void takesTheContainersEnvironmentResolvesTheNamespacePodNameAndTheMemoryLimit() {
        Map<String, String> env = ChartOperator.chartEnvironment(List.<HasMetadata>of(deployment()), "ns-1");
        assertThat(env).containsEntry("LIVEUPDATE_OPERATOR_RESYNC_INTERVAL", "5m")
                .containsEntry("LIVEUPDATE_OPERATOR_AGENT_NAMESPACE", "ns-1")
                .containsEntry("LIVEUPDATE_LEADER_ELECTION_IDENTITY", "fleet-scale-operator-0")
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:MaxRAM=512m");
    }

    @Test
    void refusesAnEnvItCannotResolveOutsideAPod() {
        Deployment d = deployment();
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(1).getValueFrom().getFieldRef().setFieldPath("spec.nodeName");
        assertThatThrownBy(() -> ChartOperator.chartEnvironment(List.<HasMetadata>of(d), "ns-1"))
                .hasMessageContaining("LIVEUPDATE_OPERATOR_AGENT_NAMESPACE");
    }
}
