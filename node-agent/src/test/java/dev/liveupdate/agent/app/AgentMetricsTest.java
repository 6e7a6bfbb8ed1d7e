package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMetrics metrics = new AgentMetrics(registry);

    private static LiveUpdateNodeStatus status(NodePhase phase, String heldRestore) {
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(phase);
        if (heldRestore != null) {
            s.setConditions(List.of(new ConditionBuilder().withType(StepEngine.HELD_RESTORE).withStatus(heldRestore).build()));
        }
        return s;
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void phaseGaugeMarksOnlyTheCurrentPhase() {
        metrics.observe(status(NodePhase.Restoring, null));
        assertThat(gauge("liveupdate_agent_phase", "phase", "Restoring")).isEqualTo(1.0);
        assertThat(gauge("liveupdate_agent_phase", "phase", "Idle")).isZero();
    }

    @Test
    void restoreHeldFollowsTheCondition() {
        assertThat(gauge("liveupdate_agent_restore_held")).isZero();
        metrics.observe(status(NodePhase.Failed, "True"));
        assertThat(gauge("liveupdate_agent_restore_held")).isEqualTo(1.0);
        metrics.observe(status(NodePhase.Idle, "False"));
        assertThat(gauge("liveupdate_agent_restore_held")).isZero();
    }
}
