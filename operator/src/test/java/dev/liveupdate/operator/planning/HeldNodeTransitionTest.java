package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-step transitions of held nodes: HeldPrepared, HeldRebooted, HeldFinished, HeldCancelled, HeldSettling. */
class HeldNodeTransitionTest {

    private final World w = new World().nodes(2);
    private final World.SimPlan p = w.plan("p", World.spec(2, 0));

    private PassContext pass() {
        return Passes.classified(w, p);
    }

    private static NodeAction only(PassContext pass) {
        assertThat(Passes.actions(pass)).hasSize(1);
        return Passes.actions(pass).get(0);
    }

    // ---- Prepared ---------------------------------------------------------------------------------------------

    @Test
    void aPreparedNodeBecomesARebootCandidateWhenTheTargetReboots() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        PassContext pass = pass();
        Tracked t = Passes.node(pass, "node-000");
        assertThat(t.bucket).isEqualTo(NodeBucket.PREPARED);
        assertThat(t.rebootCandidate).isTrue();
        assertThat(Passes.actions(pass)).isEmpty();
    }

    @Test
    void aPreparedNodeSettlesAtTargetPreparedAndTheTimeIsWrittenOnce() {
        p.spec.setTargetPhase(TargetPhase.Prepared);
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        NodeAction.UpdateLedger write = (NodeAction.UpdateLedger) only(pass());
        assertThat(write.ledger().settledAt()).isEqualTo(w.now);
        l.ledger = write.ledger();
        w.advance(Duration.ofMinutes(1));
        PassContext later = pass();
        assertThat(Passes.actions(later)).isEmpty();
        assertThat(Passes.node(later, "node-000").settledAt).isEqualTo(w.now.minus(Duration.ofMinutes(1)));
    }

    @Test
    void aPreparingNodeWaitsUntilItsPrepareTimeout() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Preparing);
        PassContext pass = pass();
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.PREPARING);
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_PREPARE));
    }

    @Test
    void aPrepareTimeoutFailsTheNodeAndTellsTheAgentToCancel() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Preparing);
        w.advance(PlanSettings.DEFAULT_PREPARE);
        PassContext pass = pass();
        NodeAction.IssueStep cancel = (NodeAction.IssueStep) only(pass);
        assertThat(cancel.step()).isEqualTo(NodeStep.Cancelled);
        assertThat(cancel.ledger().failure().reason()).isEqualTo(Reasons.PREPARE_TIMEOUT);
        assertThat(cancel.ledger().cancelReason()).isEqualTo(Reasons.CANCEL_FAILED_NODE);
        assertThat(cancel.event().reason()).isEqualTo("NodeFailed");
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.FAILED);
    }

    @Test
    void anAgentFailingToPrepareOnlyGetsItsFailureRecorded() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Failed);
        NodeAction.UpdateLedger write = (NodeAction.UpdateLedger) only(pass());
        assertThat(write.ledger().failure().rebooted()).isFalse();
    }

    @Test
    void thePeersOfANodeThatFailedToPrepareAreCancelledForTheBrokenBarrier() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        Passes.hold(w, p, "node-001", NodeStep.Prepared, 1, NodePhase.Failed);
        PassContext pass = pass();
        NodeAction.IssueStep cancel = Passes.actions(pass).stream().filter(a -> a.node().equals("node-000"))
                .map(NodeAction.IssueStep.class::cast).findFirst().orElseThrow();
        assertThat(cancel.step()).isEqualTo(NodeStep.Cancelled);
        assertThat(cancel.ledger().cancelReason()).isEqualTo(Reasons.CANCEL_BARRIER);
        assertThat(pass.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_FINISH));
    }

    @Test
    void anAgentReportingAnEarlierRebootIsNotAskedToRebootAgain() {
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Updated);
        PassContext pass = pass();
        Tracked t = Passes.node(pass, "node-000");
        assertThat(t.failure.reason()).isEqualTo(Reasons.REBOOTED_BEFORE);
        assertThat(t.rebootCandidate).isFalse();
    }

    // ---- Rebooted ---------------------------------------------------------------------------------------------

    @Test
    void aVerifiedNodeIsAskedToFinish() {
        Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Updated);
        Passes.rebootedInto(w, "node-000", World.TARGET);
        PassContext pass = pass();
        NodeAction.IssueStep finish = (NodeAction.IssueStep) only(pass);
        assertThat(finish.step()).isEqualTo(NodeStep.Finished);
        assertThat(Passes.node(pass, "node-000").disruptive).isFalse();
    }

    @Test
    void aNodeNotYetVerifiedIsDisruptiveUntilTheRebootTimeoutThenFailsSayingWhy() {
        Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        PassContext waiting = pass();
        assertThat(Passes.node(waiting, "node-000").disruptive).isTrue();
        assertThat(Passes.node(waiting, "node-000").bucket).isEqualTo(NodeBucket.REBOOTING);
        w.advance(PlanSettings.DEFAULT_REBOOT);
        NodeAction.UpdateLedger write = (NodeAction.UpdateLedger) only(pass());
        assertThat(write.ledger().failure().reason()).isEqualTo(Reasons.REBOOT_TIMEOUT);
        assertThat(write.ledger().failure().message()).endsWith(": boot ID did not change");
        assertThat(write.ledger().failure().rebooted()).isTrue();
    }

    @Test
    void aNodeBackInAnotherKernelFailsAtOnce() {
        Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Updated);
        Passes.rebootedInto(w, "node-000", "5.10.0-bad");
        NodeAction.UpdateLedger write = (NodeAction.UpdateLedger) only(pass());
        assertThat(write.ledger().failure().reason()).isEqualTo(Reasons.KERNEL_MISMATCH);
    }

    @Test
    void aFailedRebootedNodeStaysHeldUntilThePlanWindsDown() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Failed);
        l.ledger = l.ledger.withFailure(new Failure("SessionsLost", "x", w.now, true));
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        assertThat(Passes.actions(pass())).as("held and left cordoned").isEmpty();
        p.spec.setCancel(true);
        PassContext cancelling = pass();
        assertThat(Passes.actions(cancelling)).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Uncordon", "Release");
        NodeAction.Release release = (NodeAction.Release) Passes.actions(cancelling).get(1);
        assertThat(release.outcome().result()).isEqualTo(UpdateResult.Failed);
    }

    // ---- Finished ---------------------------------------------------------------------------------------------

    @Test
    void aFinishedNodeIsReleasedWithItsOutcomeAndBlackout() {
        Passes.hold(w, p, "node-000", NodeStep.Finished, 1, NodePhase.Finished);
        PassContext pass = pass();
        NodeAction.Release release = (NodeAction.Release) only(pass);
        assertThat(release.outcome().result()).isEqualTo(UpdateResult.Finished);
        assertThat(release.blackoutMillis()).isEqualTo(4200L);
        assertThat(release.outcome().blackoutMillis()).as("kept in the outcome for the blackout budget").isEqualTo(4200L);
        assertThat(Passes.node(pass, "node-000").reachedTarget).isTrue();
        assertThat(Passes.node(pass, "node-000").finishedByReboot).isTrue();
    }

    @Test
    void aFinishTimeoutFails() {
        Passes.hold(w, p, "node-000", NodeStep.Finished, 1, NodePhase.Updated);
        assertThat(Passes.node(pass(), "node-000").bucket).isEqualTo(NodeBucket.UPDATED);
        w.advance(PlanSettings.DEFAULT_FINISH);
        NodeAction.UpdateLedger write = (NodeAction.UpdateLedger) only(pass());
        assertThat(write.ledger().failure().reason()).isEqualTo(Reasons.FINISH_TIMEOUT);
    }

    // ---- Cancelled --------------------------------------------------------------------------------------------

    @Test
    void aCancelForThePlanEndsWithOutcomeCancelledAnyOtherWithoutOutcome() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Cancelled, 1, NodePhase.Cancelled);
        l.ledger = l.ledger.withCancelReason(Reasons.CANCEL_PLAN);
        NodeAction.Release release = (NodeAction.Release) only(pass());
        assertThat(release.outcome().result()).isEqualTo(UpdateResult.Cancelled);
        l.ledger = l.ledger.withCancelReason(Reasons.CANCEL_BARRIER);
        PassContext pass = pass();
        assertThat(((NodeAction.Release) only(pass)).outcome()).as("may start again later").isNull();
        assertThat(Passes.node(pass, "node-000").done).isFalse();
    }

    @Test
    void aCancelNotAcknowledgedIsReleasedAfterTheFinishTimeoutWithAnEvent() {
        Passes.hold(w, p, "node-000", NodeStep.Cancelled, 1, NodePhase.Preparing);
        PassContext waiting = pass();
        assertThat(Passes.actions(waiting)).isEmpty();
        assertThat(waiting.wakeUp).isEqualTo(w.now.plus(PlanSettings.DEFAULT_FINISH));
        w.advance(PlanSettings.DEFAULT_FINISH);
        NodeAction.Release release = (NodeAction.Release) only(pass());
        assertThat(release.event().reason()).isEqualTo("CancelNotAcknowledged");
    }

    // ---- the node itself --------------------------------------------------------------------------------------

    @Test
    void aDeletedNodeIsReleasedWithAnEventAndNotCounted() {
        Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Rebooting);
        w.nodes.remove("node-000");
        PassContext pass = pass();
        NodeAction.Release release = (NodeAction.Release) only(pass);
        assertThat(release.event().reason()).isEqualTo("NodeDeleted");
        assertThat(Passes.node(pass, "node-000").bucket).isNull();
    }

    @Test
    void aLostLedgerIsWrittenBackUnlessALaterDecisionWritesTheNode() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Preparing);
        l.ledger = null;
        NodeAction.UpdateLedger repair = (NodeAction.UpdateLedger) only(pass());
        assertThat(repair.ledger().stepSince()).as("clocks start again").isEqualTo(w.now);
        p.spec.setCancel(true);
        assertThat(only(pass())).as("the cancel replaces the repair").isInstanceOf(NodeAction.IssueStep.class);
    }

    // ---- a failed node whose restore went on ------------------------------------------------------------------

    @Test
    void aCancelToldAFailedNodeWhoseAgentReportsTheRestoreFinishedBeforeLettingGo() {
        // Found by the simulation: a RebootTimeout decided on a clock jump, the node came up fine and restored; the
        // cancel cleared its instruction and nothing could ever tell the agent Finished.
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Updated);
        Passes.rebootedInto(w, "node-000", World.TARGET);
        l.ledger = l.ledger.withFailure(new Failure(Reasons.REBOOT_TIMEOUT, "not verified", w.now, true));
        p.spec.setCancel(true);

        NodeAction.IssueStep finish = (NodeAction.IssueStep) only(pass());
        assertThat(finish.step()).isEqualTo(NodeStep.Finished);
        assertThat(finish.ledger().failure().reason()).as("it stays failed").isEqualTo(Reasons.REBOOT_TIMEOUT);

        l.step = NodeStep.Finished;
        l.ledger = finish.ledger();
        l.generation++;
        l.observed = l.generation;
        assertThat(Passes.actions(pass())).as("waits for the agent's Finished").isEmpty();

        l.phase = NodePhase.Finished;
        NodeAction.Release release = (NodeAction.Release) Passes.actions(pass()).stream()
                .filter(a -> a instanceof NodeAction.Release).findFirst().orElseThrow();
        assertThat(release.outcome().result()).isEqualTo(UpdateResult.Failed);
        assertThat(release.outcome().reason()).isEqualTo(Reasons.REBOOT_TIMEOUT);
    }

    @Test
    void aCancelReleasesAFailedNodeWithoutARestoreAtOnce() {
        World.SimLun l = Passes.hold(w, p, "node-000", NodeStep.Rebooted, 1, NodePhase.Failed);
        l.ledger = l.ledger.withFailure(new Failure(Reasons.UPDATE_FAILED, "sessions lost", w.now, true));
        p.spec.setCancel(true);
        assertThat(Passes.actions(pass())).anyMatch(a -> a instanceof NodeAction.Release);
    }
}
