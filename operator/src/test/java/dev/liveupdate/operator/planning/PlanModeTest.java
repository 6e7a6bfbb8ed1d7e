package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import org.junit.jupiter.api.Test;

class PlanModeTest {

    private static PlanMode mode(LiveUpdateSpec spec, boolean deleting) {
        return PlanMode.of(new RolloutPlanner.Plan("p", "uid-p", 1, deleting, PlanSettings.from(spec), null));
    }

    private static LiveUpdateSpec invalid() {
        LiveUpdateSpec s = World.spec(1, 1);
        MaintenanceWindow w = new MaintenanceWindow();
        w.setStart("01:00");
        w.setEnd("02:00");
        w.setTimeZone("Nowhere/Special");
        s.setWindow(w);
        return s;
    }

    @Test
    void deletionWinsOverCancelOverInvalidOverPaused() {
        LiveUpdateSpec all = invalid();
        all.setCancel(true);
        all.setPaused(true);
        assertThat(mode(all, true)).isEqualTo(PlanMode.DELETING);
        assertThat(mode(all, false)).isEqualTo(PlanMode.CANCELLING);
        LiveUpdateSpec invalidPaused = invalid();
        invalidPaused.setPaused(true);
        assertThat(mode(invalidPaused, false)).isEqualTo(PlanMode.INVALID);
        LiveUpdateSpec paused = World.spec(1, 1);
        paused.setPaused(true);
        assertThat(mode(paused, false)).isEqualTo(PlanMode.PAUSED);
        assertThat(mode(World.spec(1, 1), false)).isEqualTo(PlanMode.NORMAL);
    }

    @Test
    void moreFailuresThanMaxFailuresHaltsOnlyAPlanGoingOnNormally() {
        assertThat(PlanMode.NORMAL.afterFailures(2, 2)).as("at the limit").isEqualTo(PlanMode.NORMAL);
        assertThat(PlanMode.NORMAL.afterFailures(3, 2)).isEqualTo(PlanMode.HALTED);
        assertThat(PlanMode.NORMAL.afterFailures(1, 0)).isEqualTo(PlanMode.HALTED);
        // A paused, cancelled or deleted plan keeps saying so: halting is about going on.
        assertThat(PlanMode.PAUSED.afterFailures(5, 0)).isEqualTo(PlanMode.PAUSED);
        assertThat(PlanMode.CANCELLING.afterFailures(5, 0)).isEqualTo(PlanMode.CANCELLING);
        assertThat(PlanMode.DELETING.afterFailures(5, 0)).isEqualTo(PlanMode.DELETING);
    }

    @Test
    void onlyANormalPlanTakesStepsAndOnlyCancelOrDeletionWindsDown() {
        for (PlanMode m : PlanMode.values()) {
            assertThat(m.mayTakeStep()).as(m.name()).isEqualTo(m == PlanMode.NORMAL);
            assertThat(m.windsDown()).as(m.name()).isEqualTo(m == PlanMode.CANCELLING || m == PlanMode.DELETING);
        }
    }

    @Test
    void aHaltedPlanStartsNoWaveUntilMaxFailuresIsRaised() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.luns.get("node-000").outcomes.put(p.uid, new Outcome(dev.liveupdate.api.v1alpha1.UpdateResult.Failed,
                "X", "x", 1, w.now, w.now, false));
        PassContext halted = Passes.classified(w, p);
        assertThat(halted.mode).isEqualTo(PlanMode.HALTED);
        p.spec.getStrategy().setMaxFailures(1);
        assertThat(Passes.classified(w, p).mode).isEqualTo(PlanMode.NORMAL);
    }
}
