package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.sandbox.SimulatedNode;
import dev.liveupdate.sandbox.WorkloadState;
import org.junit.jupiter.api.Test;

/** A paused plan issues no instruction; resuming it rolls the fleet out to the end. */
class PauseResumeIT {

    @Test
    void pausedPlanWaitsAndResumedPlanFinishes() throws Exception {
        try (FleetScenario s = FleetScenario.start("pause", 3)) {
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            LiveUpdate plan = FleetScenario.plan("paused", 1);
            plan.getSpec().setPaused(true);
            s.fleet.applyPlan(plan);

            s.awaitPhase("paused", PlanPhase.Paused);
            for (SimulatedNode node : s.nodes()) {
                var spec = s.lun(node.name()).getSpec();
                assertThat(spec.getInstruction()).as(node.name() + " gets no instruction while paused").isNull();
            }

            LiveUpdate resume = s.get("paused");
            resume.getSpec().setPaused(false);
            s.fleet.applyPlan(resume);

            s.awaitPhase("paused", PlanPhase.Succeeded);
            s.awaitAllWorkloads(WorkloadState.VERIFIED);
            assertThat(s.fleet.timeline().maxUnavailableObserved()).isEqualTo(1);
            assertThat(s.fleet.timeline().bootChanges()).hasSize(3);
        }
    }
}
