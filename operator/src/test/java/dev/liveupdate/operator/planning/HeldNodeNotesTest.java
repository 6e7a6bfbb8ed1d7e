package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeldNodeNotesTest {

    private final World w = new World().nodes(1);
    private final World.SimPlan p = w.plan("p", World.spec(1, 1));

    private Tracked read() {
        PassContext pass = Passes.of(w, p);
        pass.tracked.forEach(new HeldNodeNotes(pass)::read);
        return Passes.node(pass, "node-000");
    }

    @Test
    void theLedgerGivesWaveAndFailure() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Prepared, 3, NodePhase.Preparing);
        Failure f = new Failure("X", "x", w.now, false);
        l.ledger = l.ledger.withFailure(f);
        Tracked t = read();
        assertThat(t.wave).isEqualTo(3);
        assertThat(t.failure).isEqualTo(f);
        assertThat(t.agentPhase).isEqualTo(NodePhase.Preparing);
    }

    @Test
    void aLostOrForeignLedgerStartsTheClocksAgain() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Prepared, 3, NodePhase.Preparing);
        w.advance(Duration.ofMinutes(7));
        l.ledger = new Ledger("uid-someone-else", 9, w.now.minusSeconds(3600), w.now.minusSeconds(3600), null, null,
                null, null);
        Tracked t = read();
        assertThat(t.ledger).isEqualTo(new Ledger(p.uid, 0, w.now, w.now, null, null, null, null));
        assertThat(t.wave).isZero();
    }

    @Test
    void theAgentsPhaseCountsOnlyOnceItCaughtUpWithOurInstruction() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Prepared);
        l.observed = l.generation - 1;
        assertThat(read().agentPhase).isNull();
        l.observed = l.generation;
        l.statusPlan = "uid-other";
        assertThat(read().agentPhase).as("reports on another plan").isNull();
        l.statusPlan = p.uid;
        assertThat(read().agentPhase).isEqualTo(NodePhase.Prepared);
    }

    @Test
    void aFreeNodeIsNotRead() {
        Tracked t = read();
        assertThat(t.ledger).isNull();
        assertThat(t.agentPhase).isNull();
    }
}
