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

    private static dev.liveupdate.api.v1alpha1.PlanBlackout blackout(String percentile, long millis) {
        dev.liveupdate.api.v1alpha1.PlanBlackout b = new dev.liveupdate.api.v1alpha1.PlanBlackout();
        b.setPercentile(percentile);
        b.setPercentileMillis(millis);
        return b;
    }

    @Test
    void theBlackoutPercentileIsOneSeriesPerPlanLabelledWithItsQuantile() {
        metrics.blackoutPercentile("p", null);
        assertThat(registry.find("liveupdate_plan_blackout_percentile_seconds").gauges()).as("nothing measured yet").isEmpty();
        metrics.blackoutPercentile("p", blackout("p95", 3200));
        assertThat(registry.get("liveupdate_plan_blackout_percentile_seconds").tags("plan", "p", "quantile", "0.95")
                .gauge().value()).isEqualTo(3.2);
        metrics.blackoutPercentile("p", blackout("p99.9", 4100));
        assertThat(registry.find("liveupdate_plan_blackout_percentile_seconds").tags("plan", "p").gauges())
                .as("the old quantile's series is gone").singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("quantile")).isEqualTo("0.999"))
                .satisfies(g -> assertThat(g.value()).isEqualTo(4.1));
        metrics.forget("p");
        assertThat(registry.find("liveupdate_plan_blackout_percentile_seconds").gauges()).isEmpty();
        assertThat(RolloutMetrics.quantileLabel("p100")).isEqualTo("1");
    }

    @Test
    void budgetHaltsStartAtZeroSoIncreaseSeesTheFirstHalt() {
        metrics.blackoutBudgetHalts("p", 0);
        assertThat(registry.get("liveupdate_blackout_budget_halts").tags("plan", "p").counter().count()).isZero();
        metrics.blackoutBudgetHalts("p", 1);
        metrics.blackoutBudgetHalts("p", 0);
        assertThat(registry.get("liveupdate_blackout_budget_halts").tags("plan", "p").counter().count()).isEqualTo(1);
    }
}
