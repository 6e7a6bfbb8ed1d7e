package dev.liveupdate.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RolloutMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RolloutMetrics metrics = new RolloutMetrics(registry);

    private double phase(String plan, PlanPhase phase) {
        return registry.get("liveupdate_plan_phase").tags("plan", plan, "phase", phase.name()).gauge().value();
    }

    @Test
    void exactlyTheCurrentPhaseIsOne() {
        metrics.planPhase("p", PlanPhase.Progressing);
        metrics.planPhase("p", PlanPhase.Halted);
        assertThat(phase("p", PlanPhase.Halted)).isEqualTo(1.0);
        assertThat(phase("p", PlanPhase.Progressing)).isZero();
        assertThat(registry.get("liveupdate_plan_phase").tags("plan", "p").gauges()).hasSize(PlanPhase.values().length);
    }

    @Test
    void forgettingAPlanDropsItsPhaseSeriesOnly() {
        metrics.planPhase("gone", PlanPhase.Succeeded);
        metrics.planPhase("kept", PlanPhase.Progressing);
        metrics.forget("gone");
        assertThat(registry.find("liveupdate_plan_phase").tags("plan", "gone").gauges()).isEmpty();
        assertThat(phase("kept", PlanPhase.Progressing)).isEqualTo(1.0);
        metrics.planPhase("gone", PlanPhase.Progressing);
        assertThat(phase("gone", PlanPhase.Progressing)).as("a plan recreated with the same name reports again").isEqualTo(1.0);
    }
}
