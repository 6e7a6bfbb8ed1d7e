package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.CordonPolicy;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.MaintenanceWindow;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

    private static void runUntil(World w, World.SimPlan p, Predicate<World> done, int maxSteps) {
        for (int i = 0; i < maxSteps && !done.test(w); i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
            w.advance(Duration.ofSeconds(10));
        }
        assertThat(done.test(w)).as("condition reached; status " + (p.status == null ? null : p.status.getMessage()))
                .isTrue();
    }

    private static PlanPhase phase(World.SimPlan p) {
        return p.status == null ? null : p.status.getPhase();
    }

    private static long count(Decision d, Class<?> type, NodeStep step) {
        return d.actions().stream().filter(type::isInstance)
                .filter(a -> step == null || a instanceof NodeAction.IssueStep is && is.step() == step).count();
    }

    @Test
    void happyPathFinishesEveryNodeAndLeavesNothingBehind() {
        World w = new World().nodes(5);
        World.SimPlan p = w.plan("p", World.spec(1, 1));
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 200);
        assertThat(w.violations).isEmpty();
        assertThat(p.status.getProgress()).isEqualTo("5/5");
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(5);
        assertThat(p.status.getCompletionTime()).isNotNull();
        assertThat(w.anyCordonedBy(p.uid)).isFalse();
        assertThat(w.anyHeldBy(p.uid)).isFalse();
        assertThat(w.nodes.values()).allMatch(n -> n.release.equals(World.TARGET) && !n.unschedulable);
        assertThat(w.luns.values()).allMatch(l -> l.outcomes.get(p.uid).result() == UpdateResult.Finished);
        assertThat(conditions(p, "Ready").getStatus()).isEqualTo("True");
        // kstatus reads "Current": neither reconciling nor stalled.
        assertThat(conditions(p, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(conditions(p, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void canaryWaveComesFirstThenWavesOfMaxUnavailable() {
        World w = new World().nodes(7);
        World.SimPlan p = w.plan("p", World.spec(3, 1));
        Decision first = w.reconcile(p);
        assertThat(count(first, NodeAction.IssueStep.class, NodeStep.Prepared)).isEqualTo(1);
        assertThat(p.status.getCurrentWave()).isEqualTo(1);
        String canaryStart = p.status.getWaveStartTime();
        assertThat(canaryStart).isEqualTo(p.status.getStartTime());
        // The pass that releases the canary starts wave 2 with maxUnavailable nodes.
        runUntil(w, p, x -> p.status.getCurrentWave() == 2, 50);
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(1);
        assertThat(java.time.Instant.parse(p.status.getWaveStartTime())).as("wave 2 started after the canary")
                .isAfter(java.time.Instant.parse(canaryStart));
        assertThat(w.luns.values().stream().filter(l -> l.ledger != null && l.ledger.wave() == 2)).hasSize(3);
    }

    @Test
    void budgetCountsNodesAlreadyUnavailable() {
        World w = new World().nodes(5);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        w.nodes.get("node-000").ready = false; // unavailable for another reason: uses one of the two slots
        w.reconcile(p);
        w.agentsUntilQuiet();
        Decision d = w.reconcile(p);
        assertThat(count(d, NodeAction.Cordon.class, null)).isEqualTo(1);
        assertThat(w.violations).isEmpty();
        assertThat(p.status.getNodeCounts().getBlocked()).isEqualTo(1);
    }

    @Test
    void budgetArithmetic() {
        assertThat(Budget.maxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("10%"), 5)).isEqualTo(1);
        assertThat(Budget.maxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("25%"), 10)).isEqualTo(2);
        assertThat(Budget.maxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("100%"), 5000))
                .isEqualTo(5000);
        assertThat(Budget.maxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(3), 2)).isEqualTo(3);
        assertThat(Budget.maxUnavailable(null, 10)).isEqualTo(1);
    }

    @Test
    void failedPrepareBreaksTheBarrierAndCancelsTheWaveWithoutAnyReboot() {
        World w = new World().nodes(3);
        LiveUpdateSpec spec = World.spec(3, 0);
        World.SimPlan p = w.plan("p", spec);
        w.nodes.get("node-001").agent = World.Agent.FAIL_PREPARE;
        for (int i = 0; i < 10; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(w.rebootsAsked).isEmpty();
        assertThat(phase(p)).isEqualTo(PlanPhase.Halted);
        assertThat(p.status.getFailedNodes()).singleElement()
                .satisfies(f -> assertThat(f.getReason()).isEqualTo("ImageChecksumMismatch"));
        assertThat(conditions(p, "Stalled").getStatus()).as("kstatus: Failed").isEqualTo("True");
        assertThat(conditions(p, "Stalled").getReason()).isEqualTo("Halted");
        assertThat(conditions(p, "Reconciling").getStatus()).isEqualTo("False");
        // The failed node stays held (its LiveUpdateNode keeps showing the agent's failure); its peers went back.
        assertThat(w.luns.entrySet().stream().filter(e -> p.uid.equals(e.getValue().planUid)).map(e -> e.getKey()))
                .containsExactly("node-001");
        assertThat(w.luns.get("node-001").phase).isEqualTo(dev.liveupdate.api.v1alpha1.NodePhase.Failed);
        assertThat(w.luns.get("node-000").step).isNull();
        assertThat(w.luns.get("node-000").outcomes).doesNotContainKey(p.uid); // may start again later
        p.spec.setCancel(true);
        p.generation++;
        w.reconcile(p);
        assertThat(w.anyHeldBy(p.uid)).isFalse();
        assertThat(w.luns.get("node-001").outcomes.get(p.uid).result()).isEqualTo(UpdateResult.Failed);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aNodeTimingOutInPrepareIsToldToCancelAndHeld() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.getStrategy().setMaxFailures(3);
        w.nodes.get("node-000").agent = World.Agent.HANG_PREPARE;
        w.reconcile(p);
        w.agentsUntilQuiet();
        w.advance(Duration.ofMinutes(16));
        Decision d = w.reconcile(p);
        assertThat(d.actions()).anyMatch(a -> a instanceof NodeAction.IssueStep is && is.step() == NodeStep.Cancelled
                && is.event().reason().equals("NodeFailed"));
        runUntil(w, p, x -> phase(p) == PlanPhase.Failed, 50);
        assertThat(w.luns.get("node-000").step).isEqualTo(NodeStep.Cancelled);
        assertThat(p.status.getFailedNodes().get(0).getReason()).isEqualTo(Reasons.PREPARE_TIMEOUT);
        assertThat(p.status.getNodeCounts().getFinished()).isEqualTo(1);
    }

    @Test
    void maxFailuresLetsTheRolloutContinueThenHalts() {
        World w = new World().nodes(6);
        LiveUpdateSpec spec = World.spec(1, 0);
        spec.getStrategy().setMaxFailures(1);
        spec.setCordon(CordonPolicy.Never); // failed nodes come back Ready, so they do not use up the budget
        World.SimPlan p = w.plan("p", spec);
        w.nodes.values().forEach(n -> n.agent = World.Agent.FAIL_REBOOT);
        runUntil(w, p, x -> phase(p) == PlanPhase.Halted, 100);
        assertThat(p.status.getNodeCounts().getFailed()).isEqualTo(2);
        assertThat(conditions(p, "Degraded").getStatus()).isEqualTo("True");
        for (int i = 0; i < 10; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getNodeCounts().getFailed()).isEqualTo(2); // halted: nothing new starts
        p.spec.getStrategy().setMaxFailures(2);
        p.generation++;
        runUntil(w, p, x -> phase(p) == PlanPhase.Halted && p.status.getNodeCounts().getFailed() == 3, 100);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aNodeThatFailedAfterItsRebootStaysCordonedAndUsesTheBudgetUntilCancel() {
        World w = new World().nodes(3);
        LiveUpdateSpec spec = World.spec(1, 0);
        spec.getStrategy().setMaxFailures(5);
        World.SimPlan p = w.plan("p", spec);
        w.nodes.values().forEach(n -> n.agent = World.Agent.FAIL_REBOOT);
        runUntil(w, p, x -> p.status != null && p.status.getNodeCounts().getFailed() == 1, 50);
        for (int i = 0; i < 10; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getNodeCounts().getFailed()).isEqualTo(1);
        assertThat(w.nodes.values().stream().filter(n -> n.unschedulable).count()).isEqualTo(1);
        assertThat(p.status.getMessage()).contains("unavailability budget");
        p.spec.setCancel(true);
        p.generation++;
        runUntil(w, p, x -> !w.anyHeldBy(p.uid) && !w.anyCordonedBy(p.uid), 20);
        assertThat(phase(p)).isEqualTo(PlanPhase.Cancelled);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void soakTimeSeparatesWaves() {
        World w = new World().nodes(3);
        LiveUpdateSpec spec = World.spec(1, 1);
        spec.getStrategy().setSoakTime("30m");
        World.SimPlan p = w.plan("p", spec);
        runUntil(w, p, x -> p.status != null && p.status.getNodeCounts().getFinished() == 1, 50);
        Decision d = w.reconcile(p);
        assertThat(count(d, NodeAction.IssueStep.class, NodeStep.Prepared)).isZero();
        assertThat(d.requeueAfter()).isGreaterThan(Duration.ofMinutes(28)).isLessThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(java.time.Instant.parse(p.status.getSoakUntil())).isEqualTo(w.now.plus(d.requeueAfter()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        w.advance(Duration.ofMinutes(31));
        d = w.reconcile(p);
        assertThat(count(d, NodeAction.IssueStep.class, NodeStep.Prepared)).isEqualTo(1);
        assertThat(p.status.getSoakUntil()).as("cleared once the next wave starts").isNull();
    }

    @Test
    void pausedPlanStartsNoNewStepAndResumes() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setPaused(true);
        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(phase(p)).isEqualTo(PlanPhase.Paused);
        assertThat(conditions(p, "Reconciling").getStatus()).as("kstatus: InProgress while paused").isEqualTo("True");
        assertThat(conditions(p, "Stalled").getStatus()).isEqualTo("False");
        p.spec.setPaused(false);
        p.generation++;
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 100);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aNodeCordonedForARebootThatMayNotHappenNowIsUncordoned() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        MaintenanceWindow win = new MaintenanceWindow();
        win.setStart("09:00");
        win.setEnd("10:01"); // open at 10:00Z, shut a minute later
        p.spec.setWindow(win);
        w.reconcile(p);
        w.agentsUntilQuiet();
        Decision d = w.reconcile(p);
        assertThat(count(d, NodeAction.Cordon.class, null)).isEqualTo(1);
        w.advance(Duration.ofMinutes(2));
        d = w.reconcile(p);
        assertThat(count(d, NodeAction.Uncordon.class, null)).isEqualTo(1);
        assertThat(count(d, NodeAction.IssueStep.class, NodeStep.Rebooted)).isZero();
        assertThat(w.nodes.get("node-000").unschedulable).isFalse();
        assertThat(p.status.getMessage()).contains("maintenance window");
        // Same for a pause.
        w.advance(Duration.ofHours(23));
        w.reconcile(p);
        assertThat(w.nodes.get("node-000").unschedulable).isTrue();
        p.spec.setPaused(true);
        p.generation++;
        d = w.reconcile(p);
        assertThat(count(d, NodeAction.Uncordon.class, null)).isEqualTo(1);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void cancelReturnsUnrebootedNodesAndFinishesRebootedOnes() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.getStrategy().setBarrier(false);
        p.spec.getStrategy().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(2));
        w.nodes.values().forEach(n -> n.agent = World.Agent.HANG_PREPARE);
        w.reconcile(p);
        w.agentsUntilQuiet();
        String first = w.luns.entrySet().stream().filter(e -> e.getValue().planUid != null).findFirst().orElseThrow()
                .getKey();
        w.nodes.get(first).agent = World.Agent.OK;
        // Drive until that node is asked to reboot; the other node of the wave is still preparing.
        runUntil(w, p, x -> x.luns.values().stream().anyMatch(l -> l.step == NodeStep.Rebooted), 20);
        String rebooted = w.luns.entrySet().stream().filter(e -> e.getValue().step == NodeStep.Rebooted)
                .findFirst().orElseThrow().getKey();
        p.spec.setCancel(true);
        p.generation++;
        runUntil(w, p, x -> !x.anyHeldBy(p.uid), 30);
        w.reconcile(p);
        assertThat(phase(p)).isEqualTo(PlanPhase.Cancelled);
        assertThat(w.luns.get(rebooted).outcomes.get(p.uid).result()).isEqualTo(UpdateResult.Finished);
        assertThat(w.luns.values().stream().filter(l -> l.outcomes.containsKey(p.uid)
                && l.outcomes.get(p.uid).result() == UpdateResult.Cancelled)).isNotEmpty();
        assertThat(w.anyCordonedBy(p.uid)).isFalse();
        assertThat(p.status.getCompletionTime()).isNotNull();
        assertThat(w.violations).isEmpty();
    }

    @Test
    void targetPreparedStagesWithoutRebootingAndRaisingContinues() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 1));
        p.spec.setTargetPhase(TargetPhase.Prepared);
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 100);
        assertThat(w.rebootsAsked).isEmpty();
        assertThat(p.status.getNodeCounts().getPrepared()).isEqualTo(4);
        assertThat(w.luns.values()).allMatch(l -> l.step == NodeStep.Prepared);
        p.spec.setTargetPhase(TargetPhase.Updated);
        p.generation++;
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded && p.status.getNodeCounts().getUpdated() == 4, 100);
        assertThat(p.status.getNodeCounts().getUpdated()).isEqualTo(4);
        assertThat(w.anyCordonedBy(p.uid)).isFalse(); // staged at Updated: back in service
        p.spec.setTargetPhase(TargetPhase.Finished);
        p.generation++;
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded && p.status.getNodeCounts().getFinished() == 4, 100);
        assertThat(w.anyHeldBy(p.uid)).isFalse();
        assertThat(w.rebootsAsked.values()).allMatch(c -> c == 1).hasSize(4);
        // The generation in each instruction is the one current when that step was written.
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aSpecChangeReissuesNothingAndTheNextStepCarriesTheNewGeneration() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.nodes.get("node-000").agent = World.Agent.HANG_PREPARE;
        w.reconcile(p);
        w.agentsUntilQuiet();
        assertThat(w.luns.get("node-000").planGeneration).isEqualTo(1);
        p.spec.getStrategy().setSoakTime("5m"); // any spec change bumps the generation
        p.generation++;
        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(p.status.getObservedGeneration()).isEqualTo(2L);
        w.nodes.get("node-000").agent = World.Agent.OK;
        runUntil(w, p, x -> x.luns.get("node-000").step == NodeStep.Rebooted, 10);
        assertThat(w.luns.get("node-000").planGeneration).isEqualTo(2);
    }

    @Test
    void closedWindowStartsNothingAndWakesAtTheOpening() {
        World w = new World().nodes(2); // 2026-03-02T10:00Z is a Monday
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        MaintenanceWindow win = new MaintenanceWindow();
        win.setStart("22:00");
        win.setEnd("04:00");
        win.setTimeZone("Europe/Berlin");
        p.spec.setWindow(win);
        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(d.requeueAfter()).isEqualTo(Duration.ofHours(11)); // 22:00 Berlin = 21:00Z
        w.advance(Duration.ofHours(11));
        d = w.reconcile(p);
        assertThat(count(d, NodeAction.IssueStep.class, NodeStep.Prepared)).isEqualTo(1);
    }

    @Test
    void blockerPodsHoldTheirNodeBack() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(3, 0));
        io.fabric8.kubernetes.api.model.LabelSelector sel = new io.fabric8.kubernetes.api.model.LabelSelector();
        dev.liveupdate.api.v1alpha1.Blocker b = new dev.liveupdate.api.v1alpha1.Blocker();
        b.setName("backup");
        b.setPodSelector(sel);
        p.spec.setBlockers(List.of(b));
        w.blockedByPods.put("node-001", "backup: ns/backup-job-1");
        Decision d = w.reconcile(p);
        assertThat(d.actions()).extracting(NodeAction::node).containsExactlyInAnyOrder("node-000", "node-002");
        assertThat(p.status.getNodeCounts().getBlocked()).isEqualTo(1);
        assertThat(p.status.getMessage()).contains("node-001").contains("BlockerPod");
        assertThat(d.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void prepareAndRebootTimeoutsFailWithAReason() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.getStrategy().setMaxFailures(5);
        p.spec.getStrategy().setBarrier(false);
        w.nodes.get("node-000").agent = World.Agent.HANG_PREPARE;
        w.nodes.get("node-001").agent = World.Agent.NEVER_BACK;
        for (int i = 0; i < 40; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
            w.advance(Duration.ofMinutes(1));
        }
        assertThat(p.status.getFailedNodes()).extracting(f -> f.getNode() + ":" + f.getReason())
                .containsExactlyInAnyOrder("node-000:PrepareTimeout", "node-001:RebootTimeout");
        assertThat(phase(p)).isEqualTo(PlanPhase.Failed);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void wrongKernelIsAFailureNotASuccess() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.nodes.get("node-000").agent = World.Agent.WRONG_KERNEL;
        runUntil(w, p, x -> phase(p) == PlanPhase.Failed, 20);
        assertThat(p.status.getFailedNodes().get(0).getReason()).isEqualTo(Reasons.KERNEL_MISMATCH);
    }

    @Test
    void secondPlanWaitsForNodesHeldByTheFirstAndSaysSo() {
        World w = new World().nodes(2);
        World.SimPlan a = w.plan("a", World.spec(2, 0));
        World.SimPlan b = w.plan("b", World.spec(2, 0));
        w.reconcile(a);
        Decision d = w.reconcile(b);
        assertThat(d.actions()).isEmpty();
        Condition c = conditions(b, "Conflict");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage()).contains("held by LiveUpdate a").contains("node-000").contains("node-001");
        assertThat(d.events()).anyMatch(e -> e.reason().equals("Conflict"));
        for (int i = 0; i < 40; i++) {
            w.reconcile(a);
            w.reconcile(b);
            w.agentsUntilQuiet();
        }
        assertThat(phase(a)).isEqualTo(PlanPhase.Succeeded);
        assertThat(phase(b)).isEqualTo(PlanPhase.Succeeded); // same kernel: already at target once a is done
        assertThat(conditions(b, "Conflict").getStatus()).isEqualTo("False");
        assertThat(w.violations).isEmpty();
    }

    @Test
    void nodesWithoutAgentOrCapabilityAreSkippedAndNamed() {
        World w = new World().nodes(3);
        w.nodes.get("node-000").hasLun = false;
        w.nodes.get("node-001").capable = false;
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 50);
        assertThat(p.status.getNodeCounts().getSkipped()).isEqualTo(2);
        assertThat(p.status.getProgress()).isEqualTo("1/1");
        assertThat(p.status.getMessage()).contains("2 skipped");
    }

    @Test
    void deletionWindsDownUncordonsAndForgets() {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        p.spec.getStrategy().setBarrier(false);
        runUntil(w, p, x -> x.luns.values().stream().anyMatch(l -> l.step == NodeStep.Rebooted), 20);
        p.deleting = true;
        runUntil(w, p, x -> p.gone, 40);
        assertThat(w.anyHeldBy(p.uid)).isFalse();
        assertThat(w.anyCordonedBy(p.uid)).isFalse();
        assertThat(w.luns.values()).noneMatch(l -> l.outcomes.containsKey(p.uid));
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aNodeCordonedBySomeoneElseIsNeitherTakenNorUncordoned() {
        World w = new World().nodes(2);
        World.SimNode n = w.nodes.get("node-000");
        n.unschedulable = true;
        n.truth = "someone";
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        for (int i = 0; i < 30; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(n.unschedulable).isTrue();
        assertThat(p.status.getNodeCounts().getBlocked()).isEqualTo(1);
        assertThat(p.status.getMessage()).contains("NodeCordoned");
        assertThat(w.violations).isEmpty();
    }

    @Test
    void cordonPolicyNeverLeavesSchedulingAlone() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setCordon(CordonPolicy.Never);
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 50);
        assertThat(w.nodes.values()).allMatch(x -> x.truth == null);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aDeletedNodeIsDroppedWithAnEvent() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        w.reconcile(p);
        w.nodes.remove("node-000");
        Decision d = w.reconcile(p);
        assertThat(d.actions()).anyMatch(a -> a instanceof NodeAction.Release r && r.node().equals("node-000")
                && r.outcome() == null && r.event().reason().equals("NodeDeleted"));
        assertThat(p.status.getNodeCounts().getTotal()).isEqualTo(1);
    }

    @Test
    void aNodeLeavingTheSelectorBeforeItsRebootIsCancelledAndMayComeBack() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(2, 0));
        p.selector = l -> !"out".equals(l.get("pool"));
        w.reconcile(p);
        w.nodes.get("node-000").labels.put("pool", "out");
        Decision d = w.reconcile(p);
        assertThat(d.actions()).anyMatch(a -> a instanceof NodeAction.IssueStep is && is.node().equals("node-000")
                && is.step() == NodeStep.Cancelled);
        w.agentsUntilQuiet();
        w.reconcile(p);
        assertThat(w.luns.get("node-000").planUid).isNull();
        assertThat(w.luns.get("node-000").outcomes).doesNotContainKey(p.uid);
        w.nodes.get("node-000").labels.remove("pool");
        runUntil(w, p, x -> phase(p) == PlanPhase.Succeeded, 100);
        assertThat(w.nodes.get("node-000").release).isEqualTo(World.TARGET);
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileUnchanged() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.reconcile(p);
        String t0 = conditions(p, "SpecValid").getLastTransitionTime();
        w.advance(Duration.ofMinutes(5));
        w.reconcile(p);
        assertThat(conditions(p, "SpecValid").getLastTransitionTime()).isEqualTo(t0);
        assertThat(conditions(p, "SpecValid").getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void invalidTimeZoneIsReportedNotGuessed() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        MaintenanceWindow win = new MaintenanceWindow();
        win.setStart("01:00");
        win.setEnd("02:00");
        win.setTimeZone("Mars/Olympus");
        p.spec.setWindow(win);
        Decision d = w.reconcile(p);
        assertThat(d.actions()).isEmpty();
        assertThat(phase(p)).isEqualTo(PlanPhase.Failed);
        assertThat(conditions(p, "SpecValid").getMessage()).contains("Mars/Olympus");
    }

    @Test
    void failedNodeListIsBounded() {
        World w = new World().nodes(30);
        World.SimPlan p = w.plan("p", World.spec(30, 0));
        p.spec.getStrategy().setMaxFailures(100);
        p.spec.getStrategy().setBarrier(false);
        w.nodes.values().forEach(n -> n.agent = World.Agent.FAIL_PREPARE);
        for (int i = 0; i < 10; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
        }
        assertThat(p.status.getFailedNodes()).hasSize(20);
        assertThat(p.status.getFailedNodesOmitted()).isEqualTo(10);
    }

    private static Condition conditions(World.SimPlan p, String type) {
        return p.status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
