package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.api.Test;

class RolloutGateTest {

    static DaemonSet ds(String strategy, long generation, Long observed) {
        DaemonSetBuilder b = new DaemonSetBuilder().withNewMetadata().withName("agent").withGeneration(generation)
                .endMetadata().withNewSpec().endSpec();
        if (strategy != null) {
            b.editSpec().withNewUpdateStrategy().withType(strategy).endUpdateStrategy().endSpec();
        }
        if (observed != null) {
            b.withNewStatus().withObservedGeneration(observed).endStatus();
        }
        return b.build();
    }

    @Test
    void anOnDeleteDaemonSetTheControllerHasObservedIsOurs() {
        assertThat(RolloutGate.whyNot(ds("OnDelete", 3, 3L))).isEmpty();
    }

    @Test
    void underRollingUpdateTheDaemonSetControllerReplacesPodsItself() {
        assertThat(RolloutGate.whyNot(ds("RollingUpdate", 3, 3L))).get().asString()
                .startsWith("updateStrategy RollingUpdate: the DaemonSet controller replaces agent pods itself");
        assertThat(RolloutGate.whyNot(ds(null, 3, 3L))).get().asString()
                .startsWith("updateStrategy RollingUpdate (the default)");
    }

    @Test
    void aGenerationTheDaemonSetControllerHasNotObservedWaits() {
        assertThat(RolloutGate.whyNot(ds("OnDelete", 4, 3L)))
                .hasValue("waiting for the DaemonSet controller to observe generation 4 (observed: 3)");
        assertThat(RolloutGate.whyNot(ds("OnDelete", 1, null)))
                .hasValue("waiting for the DaemonSet controller to observe generation 1 (observed: none)");
    }
}
