package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An agent that restarted before the kexec prepares again: no failure, same wave and budget, a fresh step clock. */
class PreparationStartedOverTest {
    private final World w = new World().nodes(2);
    private final World.SimPlan p = w.plan("p", World.spec(1, 0));

    private PassContext pass() {
        return Passes.classified(w, p);
    }

    @Test
    void aRebootedNodeBackInPreparingStaysDisruptiveInItsWaveAndItsRebootClockStartsOver() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Preparing);
        w.advance(PlanSettings.DEFAULT_REBOOT.minusMinutes(1));
        l.prepareRestarts = 1;

        PassContext pass = pass();

        Tracked t = Passes.node(pass, "node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.REBOOTING);
        assertThat(t.disruptive).as("still counts against maxUnavailable").isTrue();
        assertThat(t.failure).isNull();
        assertThat(Passes.actions(pass)).singleElement().isInstanceOfSatisfying(NodeAction.UpdateLedger.class, u -> {
            assertThat(u.ledger().stepSince()).isEqualTo(w.now);
            assertThat(u.ledger().prepareRestarts()).isEqualTo(1);
            assertThat(u.ledger().wave()).isEqualTo(1);
            assertThat(u.event().reason()).isEqualTo(PreparationStartedOver.EVENT);
        });
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_REBOOT));
    }

    @Test
    void aRestartAlreadyNotedDoesNotRestartTheClockAgainAfterAnOperatorRestart() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Preparing);
        l.prepareRestarts = 2;
        l.ledger = l.ledger.withPrepareRestarts(2); // what the ledger annotation kept across the operator restart
        w.advance(PlanSettings.DEFAULT_PREPARE);

        PassContext pass = pass();

        NodeAction.IssueStep cancel = (NodeAction.IssueStep) Passes.actions(pass).get(0);
        assertThat(cancel.ledger().failure().reason()).as("the ordinary prepare timeout still holds").isEqualTo(Reasons.PREPARE_TIMEOUT);
        assertThat(cancel.ledger().prepareRestarts()).isEqualTo(2);
    }

    @Test
    void theAgentsFailureBeyondTheBoundFailsTheNodeWithTheAgentsReason() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Failed);
        l.prepareRestarts = 4;
        l.reason = "PrepareRestartsExceeded";

        PassContext pass = pass();

        Tracked t = Passes.node(pass, "node-000");
        assertThat(t.failure.reason()).isEqualTo("PrepareRestartsExceeded");
    }

    @Test
    void theLedgerKeepsTheCountThroughItsCodec() {
        Ledger l = new Ledger("uid-p", 1, w.now, w.now, null, null, null, null).withPrepareRestarts(3).withStep(w.now.plus(Duration.ofSeconds(1)));
        assertThat(dev.liveupdate.operator.k8s.LedgerCodec.decodeLedger(dev.liveupdate.operator.k8s.LedgerCodec.encode(l)).prepareRestarts()).isEqualTo(3);
    }
}
