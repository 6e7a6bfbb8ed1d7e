package dev.liveupdate.kubectl;

import static dev.liveupdate.kubectl.Fixtures.blackout;
import static dev.liveupdate.kubectl.Fixtures.condition;
import static dev.liveupdate.kubectl.Fixtures.counts;
import static dev.liveupdate.kubectl.Fixtures.failed;
import static dev.liveupdate.kubectl.Fixtures.held;
import static dev.liveupdate.kubectl.Fixtures.node;
import static dev.liveupdate.kubectl.Fixtures.outcome;
import static dev.liveupdate.kubectl.Fixtures.plan;
import static dev.liveupdate.kubectl.Fixtures.reports;
import static dev.liveupdate.kubectl.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusRendererTest {
    private final LiveUpdate plan = plan("kernel-7-2", "uid-72");

    /** A halted plan: wave 1 done, wave 2 with a failure and a node still preparing, one node another plan's. */
    private List<LiveUpdateNode> haltedFleet() {
        LiveUpdateStatus st = status(plan, PlanPhase.Halted);
        st.setProgress("1/4");
        st.setCurrentWave(2);
        st.setNodeCounts(counts(4, 1, 1, 1));
        st.setMessage("1/4 nodes at Finished, 1 failed; halted: more than maxFailures=0 failed (raise it to continue, or cancel)");
        st.getConditions().add(condition("Stalled", "True", "Halted", st.getMessage()));
        st.setFailedNodes(List.of(failed("node-3", "PrepareTimeout", "required session vm-memory has 0 of 1 files", "Prepared")));
        List<LiveUpdateNode> luns = new ArrayList<>();
        luns.add(blackout(outcome(reports(node("node-1"), plan, NodePhase.Finished, null, null), plan, "Finished", null, 1, 4210L), 4210));
        luns.add(reports(held(node("node-2"), plan, NodeStep.Prepared, 2), plan, NodePhase.Preparing, null, "waiting for vm-memory"));
        luns.add(reports(held(node("node-3"), plan, NodeStep.Prepared, 2), plan, NodePhase.Failed, "PrepareTimeout", "required session vm-memory has 0 of 1 files"));
        LiveUpdate other = plan("other", "uid-other");
        luns.add(reports(held(node("node-4"), other, NodeStep.Prepared, 1), other, NodePhase.Prepared, null, null));
        return luns;
    }

    @Test
    void showsWavesNodesFailuresAndWhatHoldsTheRollout() {
        String text = new StatusRenderer(new Style(false)).render(PlanReports.of(plan, haltedFleet()));

        assertThat(text).contains("Plan       kernel-7-2  (uid uid-72)")
                .contains("Phase      Halted   target Finished   kernel 7.2.0-1-amd64")
                .contains("Progress   1/4   wave 2")
                .contains("Nodes      total 4: preparing 1, finished 1, failed 1")
                .contains("Holding\n  Stalled/Halted: 1/4 nodes at Finished, 1 failed; halted: more than maxFailures=0")
                .contains("Failures   1\n  node-3  PrepareTimeout (before its reboot): required session vm-memory has 0 of 1 files");
        // Waves in order, nodes in their wave, another plan's node left out.
        assertThat(text).containsPattern("Waves\n  WAVE +NODE +STEP +PHASE +REASON +BLACKOUT +MESSAGE\n"
                + "  1 +node-1 +- +Finished +- +4\\.21s +-\n"
                + "  2 +node-2 +Prepared +Preparing +- +- +waiting for vm-memory\n"
                + " +node-3 +Prepared +Failed +PrepareTimeout +- +required session vm-memory has 0 of 1 files\n");
        assertThat(text).doesNotContain("node-4");
        assertThat(text).doesNotContain("\u001b[");
    }

    @Test
    void colourOnlyWhenAsked() {
        String text = new StatusRenderer(new Style(true)).render(PlanReports.of(plan, haltedFleet()));
        assertThat(text).contains("\u001b[31mHalted\u001b[0m").contains("\u001b[32mFinished\u001b[0m");
    }

    @Test
    void pausedPlanSaysSoAndHowToResume() {
        plan.getSpec().setPaused(true);
        LiveUpdateStatus st = status(plan, PlanPhase.Paused);
        st.getConditions().add(condition("Progressing", "False", "Paused", null));
        String text = new StatusRenderer(new Style(false)).render(PlanReports.of(plan, List.of()));
        assertThat(text).contains("Paused (spec.paused)")
                .contains("  Paused: spec.paused is true: no node starts a new step (kubectl liveupdate resume kernel-7-2)")
                .contains("Waves      no node taken yet");
    }

    @Test
    void aPlanTheOperatorHasNotSeenSaysSo() {
        String text = new StatusRenderer(new Style(false)).render(PlanReports.of(plan, List.of()));
        assertThat(text).contains("NotObserved: the operator has not written a status for this plan yet (is it running?)");
        plan.getMetadata().setGeneration(3L);
        status(plan, PlanPhase.Progressing).setObservedGeneration(2L);
        assertThat(new StatusRenderer(new Style(false)).render(PlanReports.of(plan, List.of())))
                .contains("NotObserved: the status describes generation 2; the operator has not acted on generation 3 yet");
    }

    @Test
    void waitingForSoakConflictAndAHeldRestoreAreHolds() {
        LiveUpdateStatus st = status(plan, PlanPhase.Progressing);
        st.setSoakUntil("2026-12-07T11:00:00Z");
        st.getConditions().add(condition("Progressing", "True", "Progressing", "the maintenance window (opens 22:00 UTC)"));
        st.getConditions().add(condition("Conflict", "True", "NodesHeldByOtherPlan", "held by LiveUpdate other: node-9; waiting until they are free"));
        LiveUpdateNode n1 = Fixtures.restoreHeld(reports(held(node("node-1"), plan, NodeStep.Finished, 1), plan, NodePhase.Failed,
                "RestoreTimeout", "restore timed out"), "kernel-7-2", "uid-72", "RestoreTimeout");
        String text = new StatusRenderer(new Style(false)).render(PlanReports.of(plan, List.of(n1)));
        assertThat(text).contains("  WaitingFor: the maintenance window (opens 22:00 UTC)")
                .contains("  Soak: the next wave waits for the soak time until 2026-12-07T11:00:00Z")
                .contains("  Conflict: held by LiveUpdate other: node-9; waiting until they are free")
                .contains("  RestoreHeld: node-1: the kernel still holds the files of plan kernel-7-2 (uid uid-72)")
                .contains("(kubectl liveupdate release node-1)")
                .contains("[restore held] restore timed out");
    }

    @Test
    void aReleasedNodeShowsTheOperatorsOutcome() {
        status(plan, PlanPhase.Progressing);
        // The agent moved on to Idle (no plan), the operator's outcome note says it was cancelled.
        LiveUpdateNode n = outcome(node("node-5"), plan, "Cancelled", "BarrierBroken", 2, null);
        NodeRow row = NodeRows.row("uid-72", n);
        assertThat(row).isEqualTo(new NodeRow("node-5", 2, null, "Cancelled", "BarrierBroken", null, null, false));
    }

    @Test
    void jsonHasAStableShape() throws Exception {
        String json = StatusCommand.render(PlanReports.of(plan, haltedFleet()), OutputFormat.json, new Style(true));
        JsonNode o = new ObjectMapper().readTree(json);
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            keys.add(it.next());
        }
        assertThat(keys).containsExactly("plan", "uid", "phase", "targetPhase", "kernel", "paused", "cancel", "progress",
                "currentWave", "message", "counts", "holds", "failedNodes", "nodes");
        assertThat(o.path("nodes").get(0).path("node").asText()).isEqualTo("node-1");
        assertThat(o.path("nodes").get(0).path("blackoutMillis").asLong()).isEqualTo(4210);
        assertThat(o.path("nodes").get(2).path("reason").asText()).isEqualTo("PrepareTimeout");
        assertThat(o.path("holds").get(0).path("what").asText()).isEqualTo("Stalled/Halted");
        assertThat(json).doesNotContain("\u001b[");
    }

    @Test
    void exitCodeFollowsThePhase() {
        for (PlanPhase p : PlanPhase.values()) {
            status(plan, p);
            boolean notOk = p == PlanPhase.Halted || p == PlanPhase.Failed || p == PlanPhase.Cancelled;
            assertThat(PlanReports.of(plan, List.of()).notOk()).as(p.name()).isEqualTo(notOk);
            assertThat(PlanReports.of(plan, List.of()).settled()).as(p.name()).isEqualTo(notOk || p == PlanPhase.Succeeded);
        }
    }
}
