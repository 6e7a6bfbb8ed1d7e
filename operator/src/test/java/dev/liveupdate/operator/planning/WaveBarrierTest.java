package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaveBarrierTest {

    @Test
    void theActiveWaveIsTheLowestWithUnsettledWork() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 1));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 3, NodePhase.Preparing);
        Passes.hold(w, p, "node-001", NodeStep.Rebooted, 2, NodePhase.Rebooting);
        PassContext pass = Passes.classified(w, p);
        assertThat(new WaveBarrier(pass).activeWave()).contains(2);
    }

    @Test
    void noActiveWaveWhenEveryHeldNodeSettled() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 1));
        p.spec.setTargetPhase(TargetPhase.Prepared);
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared); // settles at the staged target
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-000").settled).isTrue();
        assertThat(new WaveBarrier(pass).activeWave()).isEmpty();
    }

    @Test
    void theBarrierHoldsOnlyWhenNoNodeOfTheWaveIsStillPreparing() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(3, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Preparing);
        Passes.hold(w, p, "node-002", NodeStep.Prepared, 2, NodePhase.Preparing);
        PassContext pass = Passes.classified(w, p);
        WaveBarrier.Readiness wave1 = new WaveBarrier(pass).readiness(1);
        assertThat(wave1.barrierHolds()).isFalse();
        assertThat(wave1.candidates()).extracting(Tracked::name).containsExactly("node-000");
        w.luns.get("node-001").phase = NodePhase.Prepared;
        WaveBarrier.Readiness prepared = new WaveBarrier(Passes.classified(w, p)).readiness(1);
        assertThat(prepared.barrierHolds()).as("wave 2 does not matter").isTrue();
        assertThat(prepared.candidates()).extracting(Tracked::name).containsExactly("node-000", "node-001");
    }

    @Test
    void aPeerStillBeingCancelledKeepsTheBarrierShut() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        World.SimLun l = Passes.hold(w, p, "node-001", NodeStep.Cancelled, 1, NodePhase.Preparing);
        l.ledger = l.ledger.withCancelReason(Reasons.CANCEL_LEFT_SELECTOR); // not acknowledged yet
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-001").bucket).isEqualTo(NodeBucket.CANCELLED);
        assertThat(new WaveBarrier(pass).readiness(1).barrierHolds()).isFalse();
    }

    @Test
    void aNodeFailingToPrepareBreaksItsWave() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(3, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Failed);
        Passes.hold(w, p, "node-002", NodeStep.Prepared, 2, NodePhase.Preparing);
        PassContext pass = brokenWaves(w, p);
        assertThat(pass.brokenWaves).containsExactly(1);
    }

    @Test
    void aPrepareTimeoutBreaksTheWaveToo() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 4, NodePhase.Preparing);
        w.advance(PlanSettings.DEFAULT_PREPARE.minusSeconds(1));
        assertThat(brokenWaves(w, p).brokenWaves).isEmpty();
        w.advance(Duration.ofSeconds(1));
        assertThat(brokenWaves(w, p).brokenWaves).containsExactly(4);
    }

    @Test
    void aFailureAfterTheRebootOrWithoutBarrierOrRebootBreaksNothing() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Failed);
        l.ledger = l.ledger.withFailure(new Failure("X", "x", w.now, true));
        assertThat(brokenWaves(w, p).brokenWaves).as("failed after its reboot").isEmpty();

        Passes.hold(w, p, "node-001", NodeStep.Prepared, 2, NodePhase.Failed);
        assertThat(brokenWaves(w, p).brokenWaves).containsExactly(2);
        p.spec.getStrategy().setBarrier(false);
        assertThat(brokenWaves(w, p).brokenWaves).as("no barrier").isEmpty();
        p.spec.getStrategy().setBarrier(true);
        p.spec.setTargetPhase(TargetPhase.Prepared);
        assertThat(brokenWaves(w, p).brokenWaves).as("no reboot planned, nothing to protect").isEmpty();
    }

    private static PassContext brokenWaves(World w, World.SimPlan p) {
        PassContext pass = Passes.of(w, p);
        HeldNodeNotes notes = new HeldNodeNotes(pass);
        pass.tracked.forEach(notes::read);
        new WaveBarrier(pass).findBrokenWaves();
        return pass;
    }
}
